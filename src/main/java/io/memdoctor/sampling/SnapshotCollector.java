package io.memdoctor.sampling;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.RedisConnections;
import io.memdoctor.snapshots.InfoParser;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotStatus;
import org.springframework.stereotype.Component;

/**
 * Takes one snapshot of one instance: {@code INFO all} and {@code DBSIZE}, pipelined. Never throws: a Redis that
 * cannot be reached gives an {@code UNREACHABLE} snapshot, one that refuses gives {@code ERROR}, both with the
 * reason (scrubbed of the password).
 */
@Component
class SnapshotCollector {

    private final RedisConnections connections;
    private final Clock clock;

    SnapshotCollector(RedisConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    /** The snapshot and, when INFO answered, its full text. */
    Collected collect(Instance instance) {
        long timeoutMillis = connections.timeout().toMillis();
        try {
            return connections.withConnection(instance, connection -> {
                RedisAsyncCommands<String, String> commands = connection.async();
                RedisFuture<String> info = commands.info("all");
                RedisFuture<Long> dbsize = commands.dbsize();
                String text = await(info, timeoutMillis);
                Instant at = clock.instant();
                Long keys = awaitOptional(dbsize, timeoutMillis);
                Map<Metric, Object> values = InfoParser.metrics(text, keys);
                return new Collected(Snapshot.ok(instance.id(), at, values), text);
            });
        }
        catch (RuntimeException ex) {
            return new Collected(Snapshot.failed(instance.id(), clock.instant(), classify(ex),
                    reason(ex, instance)), null);
        }
    }

    private static String await(RedisFuture<String> future, long timeoutMillis) {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            throw new RedisCommandTimeoutException("INFO did not answer within " + timeoutMillis + " ms");
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** DBSIZE may be refused by an ACL while INFO is allowed: the snapshot is still good without it. */
    private static Long awaitOptional(RedisFuture<Long> future, long timeoutMillis) {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Redis answered, but refused: an error reply anywhere in the chain (also when Lettuce wraps it as text). */
    static SnapshotStatus classify(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (cause instanceof RedisCommandExecutionException
                    || (message != null && REDIS_REFUSALS.matcher(message).find())) {
                return SnapshotStatus.ERROR;
            }
        }
        return SnapshotStatus.UNREACHABLE;
    }

    private static final java.util.regex.Pattern REDIS_REFUSALS = java.util.regex.Pattern.compile(
            "\\b(WRONGPASS|NOAUTH|NOPERM|ERR unknown command|ERR This instance has cluster support disabled)\\b");

    static String reason(Throwable ex, Instance instance) {
        StringBuilder reason = new StringBuilder();
        for (Throwable cause = ex; cause != null && reason.length() < 600; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message == null || reason.indexOf(message) >= 0) {
                continue;
            }
            if (reason.length() > 0) {
                reason.append(": ");
            }
            reason.append(message);
        }
        if (reason.length() == 0) {
            reason.append(ex instanceof RedisConnectionException ? "cannot connect" : ex.getClass().getSimpleName());
        }
        String text = reason.toString();
        String password = instance.url().password();
        return password == null ? text : text.replace(password, "***");
    }

    /**
     * @param snapshot what was seen
     * @param infoText the full INFO text, {@code null} when the sample failed
     */
    record Collected(Snapshot snapshot, String infoText) {
    }
}
