package io.memdoctor.sampling;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.memdoctor.config.DaemonThreads;
import io.memdoctor.instances.Instance;
import io.memdoctor.redis.RedisFailure;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.snapshots.InfoParser;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotStatus;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/**
 * Takes one snapshot of one instance from what the gateway read ({@code INFO all} and {@code DBSIZE}). Never
 * throws: a Redis that cannot be reached gives an {@code UNREACHABLE} snapshot, one that refuses or answers
 * something unusable gives {@code ERROR}, both with the gateway's scrubbed reason.
 */
@Component
class SnapshotCollector {

    private final RedisGateway gateway;
    private final Clock clock;
    private final ExecutorService parser = Executors.newFixedThreadPool(2, DaemonThreads.named("sample-parser"));

    SnapshotCollector(RedisGateway gateway, Clock clock) {
        this.gateway = gateway;
        this.clock = clock;
    }

    /** The snapshot and, when INFO answered, its full text; completes normally, also when the sample failed. */
    CompletionStage<Collected> collect(Instance instance) {
        CompletionStage<RedisGateway.InfoReply> reply;
        try {
            reply = gateway.info(instance);
        }
        catch (RuntimeException ex) {
            reply = CompletableFuture.failedFuture(ex);
        }
        // parsed off Lettuce's event loops: they only move bytes, so a reply is never read late (and timed out)
        // because its loop was parsing another instance's INFO
        return reply.handleAsync((answer, failed) -> failed == null ? read(instance, answer) : failed(instance, failed),
                parser);
    }

    @PreDestroy
    void shutdown() {
        parser.shutdown();
    }

    private Collected read(Instance instance, RedisGateway.InfoReply reply) {
        try {
            Map<Metric, Object> values = InfoParser.metrics(reply.text(), reply.keys());
            return new Collected(Snapshot.ok(instance.id(), clock.instant(), values), reply.text());
        }
        catch (RuntimeException ex) {
            return new Collected(Snapshot.failed(instance.id(), clock.instant(), SnapshotStatus.ERROR,
                    RedisGateway.scrub("INFO's reply could not be read: " + ex, instance)), null);
        }
    }

    private Collected failed(Instance instance, Throwable failed) {
        Throwable cause = failed instanceof CompletionException && failed.getCause() != null ? failed.getCause()
                : failed;
        RedisFailure failure = RedisFailure.of(cause, instance.url());
        return new Collected(Snapshot.failed(instance.id(), clock.instant(), status(failure), failure.reason()),
                null);
    }

    static SnapshotStatus status(RedisFailure failure) {
        return failure.kind() == RedisFailure.Kind.UNREACHABLE ? SnapshotStatus.UNREACHABLE : SnapshotStatus.ERROR;
    }

    /**
     * @param snapshot what was seen
     * @param infoText the full INFO text, {@code null} when the sample failed
     */
    record Collected(Snapshot snapshot, String infoText) {
    }
}
