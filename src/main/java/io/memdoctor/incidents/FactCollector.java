package io.memdoctor.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.redis.RedisFailure;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.redis.RedisText;
import org.springframework.stereotype.Component;

/**
 * Asks Redis for the facts the field guide's incident flow wants before anyone restarts it: full INFO, INFO
 * persistence, DBSIZE, MEMORY STATS, MEMORY DOCTOR, the memory-related CONFIG values, SLOWLOG, INFO commandstats
 * and errorstats. Each fact is independent: a command that is renamed, denied by an ACL or times out is recorded
 * as refused with the reason, and the others are still asked.
 *
 * <p>Asks through the gateway, on the instance's shared connection, so a capture costs no new connection; every
 * command is bounded by the sampling timeout and the reply limits. The instance's password is scrubbed from every answer, whatever echoed it.
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

    private final RedisGateway gateway;

    FactCollector(RedisGateway gateway) {
        this.gateway = gateway;
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
        facts.put("info", asker.ask("INFO all", () -> gateway.info(instance, "all")));
        facts.put("infoPersistence", asker.ask("INFO persistence", () -> gateway.info(instance, "persistence")));
        facts.put("dbsize", asker.ask("DBSIZE", () -> gateway.dbsize(instance)));
        facts.put("memoryStats", asker.ask("MEMORY STATS", () -> gateway.memoryStats(instance)));
        facts.put("memoryDoctor", asker.ask("MEMORY DOCTOR", () -> gateway.memoryDoctor(instance)));
        facts.put("config", asker.ask("CONFIG GET (memory settings)", () -> config(instance)));
        facts.put("slowlog", asker.ask("SLOWLOG GET " + SLOWLOG_ENTRIES,
                () -> slowlog(gateway.slowlog(instance, SLOWLOG_ENTRIES))));
        facts.put("commandstats", asker.ask("INFO commandstats", () -> gateway.info(instance, "commandstats")));
        facts.put("errorstats", asker.ask("INFO errorstats", () -> gateway.info(instance, "errorstats")));
        return facts;
    }

    /** Asks one fact at a time, and stops asking once Redis has not answered. */
    private static final class Asker {

        private final Instance instance;
        private String silence;

        /** @param silence why Redis is already known not to answer, {@code null} when nothing is known */
        Asker(Instance instance, String silence) {
            this.instance = instance;
            this.silence = silence;
        }

        Fact ask(String command, Supplier<Object> work) {
            if (silence != null) {
                return Fact.refused(command, "Not asked: " + silence);
            }
            try {
                return Fact.of(command, scrub(work.get(), instance.url()));
            }
            catch (RedisFailure failure) {
                if (failure.refused()) {
                    return Fact.refused(command, "Redis refused " + command + ": " + failure.reason()
                            + ". Managed services rename or disable it; an ACL may deny it.");
                }
                String reason = "Redis did not answer " + command + ": " + failure.reason();
                // no connection, no answer in time or an unusable answer: the next would cost as much for nothing
                silence = reason;
                return Fact.refused(command, reason);
            }
            catch (RuntimeException unreadable) {
                return Fact.refused(command, RedisGateway.scrub("Could not read the answer to " + command + ": "
                        + unreadable, instance));
            }
        }
    }

    private Map<String, String> config(Instance instance) {
        Map<String, String> values = new TreeMap<>();
        for (String pattern : CONFIG_PATTERNS) {
            gateway.configGet(instance, pattern).forEach((name, value) -> {
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
    static Object scrub(Object value, RedisUrl url) {
        if (value instanceof String text) {
            return RedisText.hidePassword(text, url);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(scrub(String.valueOf(k), url)), scrub(v, url)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> scrub(v, url)).toList();
        }
        return value;
    }
}
