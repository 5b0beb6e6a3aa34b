package io.memdoctor.instances;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.memdoctor.config.MemDoctorProperties;
import jakarta.annotation.PreDestroy;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.stereotype.Component;

/**
 * One long-lived Lettuce connection per watched instance, for sampling and short commands.
 *
 * <p>Connections fail fast instead of reconnecting in the background: no auto-reconnect, commands rejected while
 * disconnected, and every command bounded by the sampling timeout. A connection that fails is closed and the next
 * use connects again, so a dead, paused or replaced Redis costs one bounded attempt per sample and no watchdog
 * thread. Long work (keyspace scans) uses its own client ({@code scans.ScanConnections}) without per-command
 * timeouts, so it never delays sampling.
 */
@Component
public class RedisConnections {

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(4)
            .computationThreadPoolSize(2).build();
    private final RedisClient client;
    private static final int CONNECT_ATTEMPTS = 3;

    private final Duration timeout;
    private final Map<InstanceId, StatefulRedisConnection<String, String>> connections = new ConcurrentHashMap<>();

    RedisConnections(MemDoctorProperties properties) {
        this.timeout = properties.sampling().timeout();
        this.client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder();
        if (properties.tls().caCertificates() != null) {
            options.sslOptions(SslOptions.builder().jdkSslProvider()
                    .trustManager(properties.tls().caCertificates().toFile()).build());
        }
        this.client.setOptions(options
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
    }

    /**
     * Runs work on the instance's shared connection, connecting first if needed. If the work fails, the connection
     * is closed so the next call starts afresh; the exception is passed on.
     */
    public <T> T withConnection(Instance instance, Function<StatefulRedisConnection<String, String>, T> work) {
        StatefulRedisConnection<String, String> connection = connections.computeIfAbsent(instance.id(),
                id -> connect(instance));
        try {
            if (!connection.isOpen()) {
                throw new IllegalStateException("connection closed");
            }
            return work.apply(connection);
        }
        catch (RuntimeException ex) {
            discard(instance.id(), connection);
            throw ex;
        }
    }

    /**
     * Connects, and again (up to three attempts) when Lettuce lost the reason of a failed handshake: on loopback Redis can refuse the login
     * (WRONGPASS) before Lettuce's connect listener looks for its handshake handler, which is then gone, and Lettuce
     * reports "RedisHandshakeHandler not registered" (or "Connection closed prematurely") instead of Redis' answer:
     * 15 of 2,000 wrong-password connects here, 1 of 2,000 still after a second attempt. A third makes it rarer.
     */
    private StatefulRedisConnection<String, String> connect(Instance instance) {
        for (int attempt = 1;; attempt++) {
            try {
                return client.connect(StringCodec.UTF8, instance.url().toLettuceUri(timeout));
            }
            catch (RuntimeException ex) {
                if (attempt == CONNECT_ATTEMPTS || !lostHandshakeReason(ex)) {
                    throw ex;
                }
            }
        }
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

    /** The timeout every sampling command is bounded by. */
    public Duration timeout() {
        return timeout;
    }

    /** Number of connections currently held, for leak checks. */
    public int openConnections() {
        return (int) connections.values().stream().filter(StatefulRedisConnection::isOpen).count();
    }

    /**
     * After the removal commits: closing ends a sample in flight at once, and that sample must then find the instance
     * gone (the sampler drops it), not still there in an uncommitted removal (it would store an orphan row).
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onRemoved(InstanceRemoved event) {
        StatefulRedisConnection<String, String> connection = connections.remove(event.id());
        if (connection != null) {
            connection.closeAsync();
        }
    }

    private void discard(InstanceId id, StatefulRedisConnection<String, String> connection) {
        connections.remove(id, connection);
        connection.closeAsync();
    }

    @PreDestroy
    void close() {
        connections.values().forEach(StatefulRedisConnection::closeAsync);
        connections.clear();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
