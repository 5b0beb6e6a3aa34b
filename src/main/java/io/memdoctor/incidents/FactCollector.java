package io.memdoctor.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ObjectOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.RedisConnections;
import org.springframework.stereotype.Component;

/**
 * Asks Redis for the facts the field guide's incident flow wants before anyone restarts it: full INFO, INFO
 * persistence, DBSIZE, MEMORY STATS, MEMORY DOCTOR, the memory-related CONFIG values, SLOWLOG, INFO commandstats
 * and errorstats. Each fact is independent: a command that is renamed, denied by an ACL or times out is recorded
 * as refused with the reason, and the others are still asked.
 *
 * <p>Runs on the instance's shared connection, so a capture costs no new connection; every command is bounded by
 * the sampling timeout. The instance's password is scrubbed from every answer, whatever echoed it.
 */
@Component
class FactCollector {

    /** One pattern per CONFIG GET: Redis before 7.0 takes a single pattern per call. */
    static final List<String> CONFIG_PATTERNS = List.of("maxmemory", "maxmemory-policy", "maxmemory-samples",
            "maxmemory-eviction-tenacity", "maxmemory-clients", "activedefrag", "active-defrag-*", "lazyfree-*",
            "save", "appendonly", "appendfsync", "auto-aof-rewrite-*", "aof-use-rdb-preamble", "hash-max-*",
            "list-max-*", "set-max-*", "zset-max-*", "stream-node-max-*", "client-output-buffer-limit", "hz",
            "jemalloc-bg-thread", "repl-backlog-size");
    /** Slow log entries kept: Redis keeps 128 by default. */
    static final int SLOWLOG_ENTRIES = 128;

    private final RedisConnections connections;

    FactCollector(RedisConnections connections) {
        this.connections = connections;
    }

    /**
     * Every fact, in the order the field guide asks for them. When Redis does not answer at all (down, paused,
     * unreachable), the facts after the first silence are not asked, so the facts of a dead Redis cost one timeout
     * rather than nine.
     *
     * @param silence why Redis is known not to answer already (the sample just taken got nothing), so that no fact
     *        is asked and none waits for its timeout; {@code null} to ask
     */
    Map<String, Fact> collect(Instance instance, String silence) {
        Asker asker = new Asker(instance, silence);
        Map<String, Fact> facts = new LinkedHashMap<>();
        facts.put("info", asker.ask("INFO all", c -> c.info("all")));
        facts.put("infoPersistence", asker.ask("INFO persistence", c -> c.info("persistence")));
        facts.put("dbsize", asker.ask("DBSIZE", RedisCommands::dbsize));
        facts.put("memoryStats", asker.ask("MEMORY STATS", c -> pairs(memory(c, "STATS"))));
        facts.put("memoryDoctor", asker.ask("MEMORY DOCTOR", c -> verbatim(c.dispatch(CommandType.MEMORY,
                new ValueOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("DOCTOR")))));
        facts.put("config", asker.ask("CONFIG GET (memory settings)", FactCollector::config));
        facts.put("slowlog", asker.ask("SLOWLOG GET " + SLOWLOG_ENTRIES,
                c -> slowlog(c.slowlogGet(SLOWLOG_ENTRIES))));
        facts.put("commandstats", asker.ask("INFO commandstats", c -> c.info("commandstats")));
        facts.put("errorstats", asker.ask("INFO errorstats", c -> c.info("errorstats")));
        return facts;
    }

    /** Asks one fact at a time, and stops asking once Redis has not answered. */
    private final class Asker {

        private final Instance instance;
        private final String password;
        private String silence;

        /** @param silence why Redis is already known not to answer, {@code null} when nothing is known */
        Asker(Instance instance, String silence) {
            this.instance = instance;
            this.password = instance.url().password();
            this.silence = silence;
        }

        Fact ask(String command, Function<RedisCommands<String, String>, Object> work) {
            if (silence != null) {
                return Fact.refused(command, "Not asked: " + silence);
            }
            try {
                return connections.withConnection(instance, connection -> {
                    try {
                        return Fact.of(command, scrub(work.apply(connection.sync()), password));
                    }
                    catch (RedisCommandExecutionException refused) {
                        // caught inside: a refused command leaves the shared connection healthy, so it stays open
                        return Fact.refused(command, "Redis refused " + command + ": "
                                + scrub(refused.getMessage(), password)
                                + ". Managed services rename or disable it; an ACL may deny it.");
                    }
                });
            }
            catch (RuntimeException ex) {
                String reason = "Redis did not answer " + command + ": " + ex.getClass().getSimpleName()
                        + (ex.getMessage() == null ? "" : " (" + scrub(ex.getMessage(), password) + ")");
                if (ex instanceof RedisException) {
                    // no connection or no answer in time: the next command would wait as long for nothing
                    silence = reason;
                }
                return Fact.refused(command, reason);
            }
        }
    }

    private static Object memory(RedisCommands<String, String> commands, String subcommand) {
        return commands.dispatch(CommandType.MEMORY, new ObjectOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add(subcommand));
    }


    /** MEMORY DOCTOR's text; RESP3 sends it as a verbatim string that may keep its {@code txt:} prefix. */
    private static Object verbatim(Object answer) {
        return answer instanceof String text && text.startsWith("txt:") ? text.substring(4) : answer;
    }

    /** RESP2 answers maps as flat name/value arrays: make them maps again, nested ones too. */
    static Object pairs(Object answer) {
        if (answer instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), pairs(v)));
            return out;
        }
        if (answer instanceof List<?> list && list.size() % 2 == 0 && !list.isEmpty()) {
            boolean named = true;
            for (int i = 0; i < list.size(); i += 2) {
                named &= list.get(i) instanceof String;
            }
            if (named) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < list.size(); i += 2) {
                    out.put((String) list.get(i), pairs(list.get(i + 1)));
                }
                return out;
            }
        }
        return answer;
    }

    private static Map<String, String> config(RedisCommands<String, String> commands) {
        Map<String, String> values = new TreeMap<>();
        for (String pattern : CONFIG_PATTERNS) {
            commands.configGet(pattern).forEach((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                // none of the patterns names a secret; this holds even if a future pattern would
                if (!lower.contains("pass") && !lower.contains("auth") && !lower.contains("secret")) {
                    values.put(name, value);
                }
            });
        }
        return values;
    }

    /** Slow log entries as named fields: {@code id, at, durationMicros, command, client, clientName}. */
    private static List<Map<String, Object>> slowlog(List<Object> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof List<?> fields) || fields.size() < 4) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", fields.get(0));
            row.put("at", fields.get(1) instanceof Number n ? Instant.ofEpochSecond(n.longValue()).toString() : null);
            row.put("durationMicros", fields.get(2));
            row.put("command", fields.get(3) instanceof List<?> args ? args.stream().map(String::valueOf).toList()
                    : List.of(String.valueOf(fields.get(3))));
            row.put("client", fields.size() > 4 ? String.valueOf(fields.get(4)) : null);
            row.put("clientName", fields.size() > 5 ? String.valueOf(fields.get(5)) : null);
            out.add(row);
        }
        return out;
    }

    /** The answer with every occurrence of the password replaced by {@code ***}, at any depth. */
    static Object scrub(Object value, String password) {
        if (password == null || value == null) {
            return value;
        }
        if (value instanceof String text) {
            return text.replace(password, "***");
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(scrub(String.valueOf(k), password)), scrub(v, password)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> scrub(v, password)).toList();
        }
        return value;
    }

    private static String scrub(String text, String password) {
        return (String) scrub((Object) text, password);
    }
}
