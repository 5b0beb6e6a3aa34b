package io.memdoctor.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.redis.RedisGateway.InfoReply;
import io.memdoctor.redis.resp.ReplyLimits;

import static io.memdoctor.redis.LettuceConnections.unwrap;

/**
 * Short commands on an instance's long-lived Lettuce connection: each bounded by the sampling timeout, each failure
 * classified as a {@link RedisFailure}, and a connection that failed (anything but a refusal) dropped, so the next
 * command connects again.
 */
final class LettuceCommands implements AutoCloseable {

    private final Duration timeout;
    private final LettuceConnections connections;

    LettuceCommands(Duration timeout, RedisTls tls, ReplyLimits limits) {
        this.timeout = timeout;
        this.connections = new LettuceConnections(timeout, tls, limits);
    }

    /** INFO all and DBSIZE, pipelined, without a thread waiting: many instances are sampled at once. */
    CompletionStage<InfoReply> info(Instance instance) {
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

    /** Sends one command on the instance's connection and waits for its reply, within the timeout. */
    <T> T await(Instance instance, String name, Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
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

    private RedisFailure failure(Instance instance, StatefulRedisConnection<String, String> connection,
            Throwable failed, String command) {
        Throwable cause = unwrap(failed);
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

    int open() {
        return connections.open();
    }

    void close(InstanceId id) {
        connections.close(id);
    }

    @Override
    public void close() {
        connections.close();
    }
}
