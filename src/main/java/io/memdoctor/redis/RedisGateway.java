package io.memdoctor.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ObjectOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.redis.resp.RespConnection;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The only way to Redis: sampling (INFO all and DBSIZE), CONFIG GET, incident facts and keyspace scans all go
 * through here. It owns the connections (one long-lived Lettuce connection per instance for short commands, a
 * dedicated {@link RespConnection} per scan), the timeouts, TLS trust, the reply limits
 * ({@link RedisGatewayProperties}) and the classification of failures: every method fails with a
 * {@link RedisFailure} (UNREACHABLE, REFUSED with Redis' error code, or ERROR), its reason scrubbed of the password.
 *
 * <p>Short commands are bounded by {@code memdoctor.sampling.timeout}; a connection that failed (anything but a
 * refusal) is closed and the next call connects again. {@link #info} is asynchronous, so that many instances can
 * be sampled at once without a thread each.
 */
@Component
public class RedisGateway {

    private final Duration timeout;
    private final RedisTls tls;
    private final RedisGatewayProperties limits;
    private final LettuceConnections connections;

    RedisGateway(MemDoctorProperties properties, RedisGatewayProperties limits) {
        this.timeout = properties.sampling().timeout();
        this.tls = RedisTls.trusting(properties.tls().caCertificates());
        this.limits = limits;
        this.connections = new LettuceConnections(timeout, tls, limits.commands().limits());
    }

    /**
     * {@code INFO all} and {@code DBSIZE}, pipelined. Completes within the timeout: with the reply, or with a
     * {@link RedisFailure}. DBSIZE may be refused by an ACL while INFO is allowed: the reply then has no key count.
     */
    public CompletionStage<InfoReply> info(Instance instance) {
        CompletableFuture<InfoReply> reply = connections.getAsync(instance).toCompletableFuture()
                .handle((connection, failed) -> {
                    if (failed != null) {
                        return CompletableFuture.<InfoReply>failedFuture(RedisFailure.of(unwrap(failed),
                                instance.url()));
                    }
                    return infoOn(instance, connection);
                })
                .thenCompose(next -> next);
        // Lettuce bounds the connect and every command; this is the backstop should a completion ever be lost
        return reply.orTimeout(timeout.toMillis() * 3 + 100, TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failed -> {
                    Throwable cause = unwrap(failed);
                    return CompletableFuture.failedFuture(cause instanceof TimeoutException
                            ? new RedisFailure(RedisFailure.Kind.UNREACHABLE, null,
                                    "INFO did not answer within " + timeout.multipliedBy(3).toMillis() + " ms")
                            : cause);
                });
    }

    private CompletableFuture<InfoReply> infoOn(Instance instance, StatefulRedisConnection<String, String> connection) {
        RedisAsyncCommands<String, String> commands = connection.async();
        CompletableFuture<String> info = commands.info("all").toCompletableFuture();
        CompletableFuture<Long> keys = commands.dbsize().toCompletableFuture()
                .handle((count, refused) -> refused == null ? count : null);
        return info.thenCombine(keys, InfoReply::new)
                .orTimeout(timeout.toMillis() * 2 + 100, TimeUnit.MILLISECONDS)
                .handle((reply, failed) -> {
                    if (failed == null) {
                        return reply;
                    }
                    throw failure(instance, connection, failed, "INFO");
                });
    }

    private static Throwable unwrap(Throwable failed) {
        return failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
    }

    /** One INFO section's text ({@code all}, {@code persistence}, {@code commandstats}...). */
    public String info(Instance instance, String section) {
        return await(instance, "INFO " + section, commands -> commands.info(section));
    }

    /** The server's role and its replicas, from {@code INFO replication}. */
    public ReplicationInfo replication(Instance instance) {
        return ReplicationInfo.parse(info(instance, "replication"));
    }

    /** DBSIZE. */
    public Long dbsize(Instance instance) {
        return await(instance, "DBSIZE", RedisAsyncCommands::dbsize);
    }

    /** The values of one {@code CONFIG GET} pattern (Redis before 7.0 takes one pattern per call). */
    public Map<String, String> configGet(Instance instance, String pattern) {
        return await(instance, "CONFIG GET", commands -> commands.configGet(pattern));
    }

    /** MEMORY STATS as names and values (maps, nested ones too, also when RESP2 sends flat arrays). */
    public Object memoryStats(Instance instance) {
        return pairs(await(instance, "MEMORY STATS", commands -> commands.dispatch(CommandType.MEMORY,
                new ObjectOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("STATS"))));
    }

    /** MEMORY DOCTOR's report. */
    public String memoryDoctor(Instance instance) {
        String report = await(instance, "MEMORY DOCTOR", commands -> commands.dispatch(CommandType.MEMORY,
                new ValueOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("DOCTOR")));
        // RESP3 sends it as a verbatim string that may keep its format prefix
        return report != null && report.startsWith("txt:") ? report.substring(4) : report;
    }

    /** CLIENT LIST's text: one line per client. */
    public String clientList(Instance instance) {
        return await(instance, "CLIENT LIST", RedisAsyncCommands::clientList);
    }

    /** The newest slow log entries, as Redis sends them (one list per entry). */
    public List<Object> slowlog(Instance instance, int entries) {
        return await(instance, "SLOWLOG GET", commands -> commands.slowlogGet(entries));
    }

    /**
     * Whether the server runs in cluster mode: {@code INFO cluster} says {@code cluster_enabled:1}. A server that
     * refuses {@code INFO cluster} (an ACL, an old fork) is not a cluster here.
     */
    public boolean clusterEnabled(Instance instance) {
        String text = info(instance, "cluster");
        return text != null && text.lines().anyMatch(line -> line.strip().equals("cluster_enabled:1"));
    }

    /**
     * The nodes of the cluster as this node sees them: {@code CLUSTER SHARDS} (7.0 and later), or
     * {@code CLUSTER NODES} where SHARDS is refused (older servers, an ACL that allows only NODES).
     */
    public List<ClusterNode> clusterNodes(Instance instance) {
        try {
            Object shards = await(instance, "CLUSTER SHARDS", commands -> commands.dispatch(CommandType.CLUSTER,
                    new ObjectOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("SHARDS")));
            return parsed(() -> ClusterReplies.fromShards(shards, instance.url().tls()), "CLUSTER SHARDS");
        }
        catch (RedisFailure ex) {
            if (!ex.refused()) {
                throw ex;
            }
        }
        String nodes = await(instance, "CLUSTER NODES", RedisAsyncCommands::clusterNodes);
        return parsed(() -> ClusterReplies.fromNodes(nodes), "CLUSTER NODES");
    }

    private static <T> T parsed(java.util.function.Supplier<T> parse, String command) {
        try {
            return parse.get();
        }
        catch (RuntimeException ex) {
            throw new RedisFailure(RedisFailure.Kind.ERROR, null, command + " answered what the dashboard cannot"
                    + " read: " + ex.getClass().getSimpleName());
        }
    }

    /** Sends one command on the instance's connection and waits for its reply, within the timeout. */
    private <T> T await(Instance instance, String name,
            Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        StatefulRedisConnection<String, String> connection;
        try {
            connection = connections.get(instance);
        }
        catch (RuntimeException ex) {
            throw RedisFailure.of(ex, instance.url());
        }
        try {
            // Lettuce times the command out; the wait here is the backstop should a completion ever be lost
            return command.apply(connection.async()).get(timeout.toMillis() * 2 + 100, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            throw failure(instance, connection, ex.getCause(), name);
        }
        catch (TimeoutException | RuntimeException ex) {
            throw failure(instance, connection, ex, name);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw failure(instance, connection, ex, name);
        }
    }

    /**
     * A new connection for a scan, authenticated and on the URL's database, with the scan's reply limits; the
     * caller closes it. The password goes from the URL to AUTH and nowhere else.
     *
     * @param timeout how long any reply (or a write) may take
     */
    public RespConnection openScan(Instance instance, Duration timeout) {
        return openScan(instance, timeout, false);
    }

    /**
     * A new connection for a scan, as {@link #openScan(Instance, Duration)}; with {@code readOnly}, it first sends
     * {@code READONLY}, so that a cluster replica answers the commands about keys of its primary's slots instead of
     * redirecting them ({@code MOVED}).
     */
    public RespConnection openScan(Instance instance, Duration timeout, boolean readOnly) {
        try {
            RespConnection connection = RespConnection.open(instance.url(), tls.socketFactory(), timeout,
                    limits.scans().limits());
            if (readOnly) {
                try {
                    connection.command("READONLY");
                }
                catch (IOException | RuntimeException ex) {
                    connection.close();
                    throw ex;
                }
            }
            return connection;
        }
        catch (IOException | RuntimeException ex) {
            throw RedisFailure.of(ex, instance.url());
        }
    }

    /** The text with the instance's password hidden and control characters escaped, for logs and pages. */
    public static String scrub(String text, Instance instance) {
        return RedisText.scrub(text, instance.url());
    }

    /** The timeout every short command is bounded by. */
    public Duration timeout() {
        return timeout;
    }

    /** Number of Lettuce connections currently open, for leak checks. */
    public int openConnections() {
        return connections.open();
    }

    private RedisFailure failure(Instance instance, StatefulRedisConnection<String, String> connection,
            Throwable failed, String command) {
        Throwable cause = failed instanceof CompletionException && failed.getCause() != null ? failed.getCause()
                : failed;
        RedisFailure failure = cause instanceof TimeoutException
                ? new RedisFailure(RedisFailure.Kind.UNREACHABLE, null,
                        command + " did not answer within " + timeout.toMillis() + " ms")
                : RedisFailure.of(cause, instance.url());
        if (!failure.refused()) {
            // no connection, no answer in time, or a reply over a limit: the next call starts afresh
            connections.discard(instance.id(), connection);
        }
        return failure;
    }

    /** RESP2 answers maps as flat name/value arrays: makes them maps again, nested ones too. */
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

    /**
     * After the removal commits: closing ends a sample in flight at once, and that sample must then find the
     * instance gone (the sampler drops it), not still there in an uncommitted removal (it would store an orphan row).
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onRemoved(InstanceRemoved event) {
        connections.close(event.id());
    }

    @PreDestroy
    void close() {
        connections.close();
    }

    /**
     * What a sample reads.
     *
     * @param text INFO all's text
     * @param keys DBSIZE, {@code null} when it was refused
     */
    public record InfoReply(String text, Long keys) {
    }
}
