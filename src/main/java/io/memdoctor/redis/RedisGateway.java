package io.memdoctor.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

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
 * <p>This class says which commands exist; {@link LettuceCommands} sends the short ones (bounded by
 * {@code memdoctor.sampling.timeout}, a failed connection dropped), {@link RespShapes} evens out RESP2 and RESP3
 * replies, and {@link #openScan} gives a scan its own connection. {@link #info} is asynchronous, so that many
 * instances can be sampled at once without a thread each.
 */
@Component
public class RedisGateway {

    private final Duration timeout;
    private final RedisTls tls;
    private final RedisGatewayProperties limits;
    private final LettuceCommands commands;

    RedisGateway(MemDoctorProperties properties, RedisGatewayProperties limits) {
        this.timeout = properties.sampling().timeout();
        this.tls = RedisTls.trusting(properties.tls().caCertificates());
        this.limits = limits;
        this.commands = new LettuceCommands(timeout, tls, limits.commands().limits());
    }

    /**
     * {@code INFO all} and {@code DBSIZE}, pipelined. Completes within the timeout: with the reply, or with a
     * {@link RedisFailure}. DBSIZE may be refused by an ACL while INFO is allowed: the reply then has no key count.
     */
    public CompletionStage<InfoReply> info(Instance instance) {
        return commands.info(instance);
    }

    /** One INFO section's text ({@code all}, {@code persistence}, {@code commandstats}...). */
    public String info(Instance instance, String section) {
        return commands.await(instance, "INFO " + section, c -> c.info(section));
    }

    /** The server's role and its replicas, from {@code INFO replication}. */
    public ReplicationInfo replication(Instance instance) {
        return ReplicationInfo.parse(info(instance, "replication"));
    }

    /** DBSIZE. */
    public Long dbsize(Instance instance) {
        return commands.await(instance, "DBSIZE", RedisAsyncCommands::dbsize);
    }

    /** The values of one {@code CONFIG GET} pattern (Redis before 7.0 takes one pattern per call). */
    public Map<String, String> configGet(Instance instance, String pattern) {
        return commands.await(instance, "CONFIG GET", c -> c.configGet(pattern));
    }

    /** MEMORY STATS as names and values (maps, nested ones too, also when RESP2 sends flat arrays). */
    public Object memoryStats(Instance instance) {
        return RespShapes.pairs(commands.await(instance, "MEMORY STATS", c -> c.dispatch(CommandType.MEMORY,
                new ObjectOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("STATS"))));
    }

    /** MEMORY DOCTOR's report. */
    public String memoryDoctor(Instance instance) {
        return RespShapes.verbatim(commands.await(instance, "MEMORY DOCTOR", c -> c.dispatch(CommandType.MEMORY,
                new ValueOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("DOCTOR"))));
    }

    /** CLIENT LIST's text: one line per client. */
    public String clientList(Instance instance) {
        return commands.await(instance, "CLIENT LIST", RedisAsyncCommands::clientList);
    }

    /** The newest slow log entries, as Redis sends them (one list per entry). */
    public List<Object> slowlog(Instance instance, int entries) {
        return commands.await(instance, "SLOWLOG GET", c -> c.slowlogGet(entries));
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
     * {@code CLUSTER NODES} where SHARDS is refused (older servers, an ACL that allows only NODES). Where SHARDS
     * leaves a replica without its primary (shard ids not agreed yet, see
     * {@link ClusterReplies#replicaWithoutPrimary}), NODES names it.
     */
    public List<ClusterNode> clusterNodes(Instance instance) {
        List<ClusterNode> shards;
        try {
            Object reply = commands.await(instance, "CLUSTER SHARDS", c -> c.dispatch(CommandType.CLUSTER,
                    new ObjectOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("SHARDS")));
            shards = RespShapes.parsed(() -> ClusterReplies.fromShards(reply, instance.url().tls()), "CLUSTER SHARDS");
            if (!ClusterReplies.replicaWithoutPrimary(shards)) {
                return shards;
            }
        }
        catch (RedisFailure ex) {
            if (!ex.refused()) {
                throw ex;
            }
            shards = null;
        }
        String text;
        try {
            text = commands.await(instance, "CLUSTER NODES", RedisAsyncCommands::clusterNodes);
        }
        catch (RedisFailure ex) {
            if (shards == null || !ex.refused()) {
                throw ex;
            }
            return shards;
        }
        List<ClusterNode> nodes = RespShapes.parsed(() -> ClusterReplies.fromNodes(text), "CLUSTER NODES");
        return shards == null ? nodes : ClusterReplies.primariesFrom(shards, nodes);
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
        return commands.open();
    }

    /**
     * After the removal commits: closing ends a sample in flight at once, and that sample must then find the
     * instance gone (the sampler drops it), not still there in an uncommitted removal (it would store an orphan row).
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onRemoved(InstanceRemoved event) {
        commands.close(event.id());
    }

    @PreDestroy
    void close() {
        commands.close();
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
