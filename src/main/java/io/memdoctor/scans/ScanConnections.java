package io.memdoctor.scans;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.memdoctor.instances.Instance;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/**
 * Dedicated Lettuce connections for scans, tuned for tens of thousands of pipelined commands in flight.
 *
 * <p>Why not the sampling client ({@code RedisConnections}): it times every command out after the sampling timeout
 * (a fixed 2 s, 1 s in tests), whatever timeout is asked for, because {@code TimeoutOptions.enabled(d)} is
 * client-wide. A pipelined scan legitimately has commands queued for longer on a busy server (the tests saw
 * "SCAN timed out after 1 second(s)"), and SAMPLES 0 on a huge key takes longer still. Per-command timers and the
 * hash-indexed command stack also cost a good part of the throughput at millions of commands. So this client
 * has no per-command timeouts (the scanner bounds every wait itself with {@code memdoctor.scans.timeout}) and a
 * plain stack; like the sampling client it never reconnects in the background. The URL, password included,
 * stays inside {@link io.memdoctor.instances.RedisUrl#toLettuceUri}.
 */
@Component
class ScanConnections {

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2)
            .computationThreadPoolSize(1).build();
    private final RedisClient client;
    private final Duration timeout;

    ScanConnections(ScanProperties properties) {
        this.timeout = properties.timeout();
        this.client = RedisClient.create(resources);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .useHashIndexQueue(false)
                .build());
    }

    /** A new connection with binary keys; the caller closes it. */
    StatefulRedisConnection<byte[], byte[]> open(Instance instance) {
        return client.connect(ByteArrayCodec.INSTANCE, instance.url().toLettuceUri(timeout));
    }

    @PreDestroy
    void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
