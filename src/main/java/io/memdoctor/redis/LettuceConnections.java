package io.memdoctor.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.redis.resp.ReplyLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * One long-lived Lettuce connection per watched instance, for sampling and short commands.
 *
 * <p>Connections fail fast instead of reconnecting in the background: no auto-reconnect, commands rejected while
 * disconnected, and every command bounded by the sampling timeout. A connection that fails is closed and the next
 * use connects again, so a dead, paused or replaced Redis costs one bounded attempt per sample and no watchdog
 * thread. Every channel gets a {@link ReplyGuard}, so no reply costs more memory than the limits allow.
 */
final class LettuceConnections implements AutoCloseable {

    private static final int CONNECT_ATTEMPTS = 3;
    /*
     * Connects (TCP, HELLO, CLIENT SETINFO, SELECT) at once: a thousand handshakes started together on a loaded
     * machine missed their time box (1,000 instances at start: most "Connection initialization timed out"); queued,
     * each gets its full timeout once started.
     */
    private static final int CONCURRENT_CONNECTS = 32;

    private final ClientResources resources;
    private final RedisClient client;
    private final Duration timeout;
    private final ConcurrencyLimit connects = new ConcurrencyLimit(CONCURRENT_CONNECTS);
    private final Map<InstanceId, CompletableFuture<StatefulRedisConnection<String, String>>> connections = new ConcurrentHashMap<>();

    LettuceConnections(Duration timeout, RedisTls tls, ReplyLimits limits) {
        this.timeout = timeout;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(4).computationThreadPoolSize(2)
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        ChannelHandlerContext commands = channel.pipeline().context(CommandHandler.class);
                        if (commands == null) {
                            throw new IllegalStateException("Lettuce's command handler was not found: the reply"
                                    + " limits cannot be enforced");
                        }
                        channel.pipeline().addBefore(commands.name(), "memdoctor-reply-guard",
                                new ReplyGuard(limits));
                    }
                }).build();
        this.client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder();
        if (tls.trustManagers() != null) {
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(tls.trustManagers()).build());
        }
        this.client.setOptions(options
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
    }

    /** The instance's open connection, connecting first if needed (waits for the connect, within the timeout). */
    StatefulRedisConnection<String, String> get(Instance instance) {
        try {
            return getAsync(instance).toCompletableFuture().get(timeout.toMillis() * 2 + 100, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : new CompletionException(ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new CompletionException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", ex);
        }
    }

    /**
     * The instance's open connection, connecting first if needed, without blocking: the connect runs on Lettuce's
     * event loop, so a thousand instances connect at once on its few threads. Callers sharing one instance share
     * its connect. A failed connect is forgotten, so the next use tries again.
     */
    CompletionStage<StatefulRedisConnection<String, String>> getAsync(Instance instance) {
        CompletableFuture<StatefulRedisConnection<String, String>> pending = connections.get(instance.id());
        if (pending == null) {
            CompletableFuture<StatefulRedisConnection<String, String>> fresh = new CompletableFuture<>();
            pending = connections.putIfAbsent(instance.id(), fresh);
            if (pending == null) {
                connects.submit(() -> connect(instance, 1)).whenComplete((connection, failed) -> {
                    if (failed == null) {
                        fresh.complete(connection);
                    }
                    else {
                        // a failed connect is not kept: the next use connects again
                        connections.remove(instance.id(), fresh);
                        fresh.completeExceptionally(failed);
                    }
                });
                return fresh;
            }
        }
        if (pending.isDone() && !pending.isCompletedExceptionally() && !pending.join().isOpen()) {
            // closed since its last use (the server restarted, or a failure discarded it): connect afresh
            discard(instance.id(), pending.join());
            return getAsync(instance);
        }
        return pending;
    }

    /**
     * Connects, and again (up to three attempts) when Lettuce lost the reason of a failed handshake: on loopback
     * Redis can refuse the login (WRONGPASS) before Lettuce's connect listener looks for its handshake handler,
     * which is then gone, and Lettuce reports "RedisHandshakeHandler not registered" (or "Connection closed
     * prematurely") instead of Redis' answer: 15 of 2,000 wrong-password connects here, 1 of 2,000 still after a
     * second attempt. A third makes it rarer.
     */
    private CompletableFuture<StatefulRedisConnection<String, String>> connect(Instance instance, int attempt) {
        CompletableFuture<StatefulRedisConnection<String, String>> connecting;
        try {
            connecting = client.connectAsync(StringCodec.UTF8, instance.url().toLettuceUri(timeout))
                    .toCompletableFuture();
        }
        catch (RuntimeException ex) {
            connecting = CompletableFuture.failedFuture(ex);
        }
        return connecting
                .handle((connection, failed) -> {
                    if (failed == null) {
                        return CompletableFuture.completedFuture(connection);
                    }
                    if (attempt < CONNECT_ATTEMPTS && lostHandshakeReason(failed)) {
                        return connect(instance, attempt + 1);
                    }
                    return CompletableFuture.<StatefulRedisConnection<String, String>>failedFuture(unwrap(failed));
                })
                .thenCompose(next -> next);
    }

    /** The cause a {@link CompletionException} wraps, or the failure itself. */
    static Throwable unwrap(Throwable failed) {
        return failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
    }

    private static boolean lostHandshakeReason(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && (message.contains("RedisHandshakeHandler not registered")
                    || message.contains("Connection closed prematurely"))) {
                return true;
            }
        }
        return false;
    }

    /** Closes the connection so that the next use starts afresh (if it is still the instance's). */
    void discard(InstanceId id, StatefulRedisConnection<String, String> connection) {
        connections.computeIfPresent(id, (key, pending) -> pending.isDone() && !pending.isCompletedExceptionally()
                && pending.join() == connection ? null : pending);
        connection.closeAsync();
    }

    /** Closes the instance's connection, if any: a command in flight on it ends at once. */
    void close(InstanceId id) {
        CompletableFuture<StatefulRedisConnection<String, String>> pending = connections.remove(id);
        if (pending != null) {
            pending.thenAccept(StatefulRedisConnection::closeAsync);
        }
    }

    int open() {
        return (int) connections.values().stream()
                .filter(pending -> pending.isDone() && !pending.isCompletedExceptionally())
                .filter(pending -> pending.join().isOpen()).count();
    }

    @Override
    public void close() {
        connections.values().forEach(pending -> pending.thenAccept(StatefulRedisConnection::closeAsync));
        connections.clear();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
