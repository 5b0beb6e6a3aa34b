package io.memdoctor.sampling;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults of the watched Redis: a listener that accepts and never answers, and a hundred kill/restart cycles. The
 * steady instance keeps its schedule, failures are recorded with a reason, recovery is automatic, and neither
 * threads nor connections pile up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@DirtiesContext // scheduled sampling every 100 ms with backoff settings: a context only it uses
class SamplerFaultTests {

    static final Duration INTERVAL = Duration.ofMillis(100);
    static final RedisServer steady = RedisServer.start();
    static final RedisServer cycled = RedisServer.start();
    static final SilentListener silent = SilentListener.start();

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.sampling.enabled", () -> "true");
        registry.add("memdoctor.sampling.interval", () -> INTERVAL.toMillis() + "ms");
        registry.add("memdoctor.sampling.timeout", () -> "250ms");
        registry.add("memdoctor.sampling.max-backoff", () -> "1s");
        registry.add("memdoctor.instances[0].name", () -> "steady");
        registry.add("memdoctor.instances[0].url", steady::url);
        registry.add("memdoctor.instances[1].name", () -> "cycled");
        registry.add("memdoctor.instances[1].url", cycled::url);
        registry.add("memdoctor.instances[2].name", () -> "silent");
        registry.add("memdoctor.instances[2].url", () -> "redis://127.0.0.1:" + silent.port());
    }

    @AfterAll
    static void stop() {
        steady.close();
        cycled.close();
        silent.close();
    }

    @Autowired
    SnapshotRepository repository;

    @Autowired
    RedisGateway connections;

    static final InstanceId STEADY = InstanceId.of("steady");
    static final InstanceId CYCLED = InstanceId.of("cycled");
    static final InstanceId SILENT = InstanceId.of("silent");

    @Test
    void aListenerThatNeverAnswersIsUnreachableAndDelaysNobody() {
        await().atMost(Duration.ofSeconds(10)).until(() -> status(SILENT) == SnapshotStatus.UNREACHABLE);
        assertThat(repository.latest(SILENT).orElseThrow().error()).containsIgnoringCase("time");
        Instant from = Instant.now();
        sleep(Duration.ofSeconds(2));
        List<Snapshot> samples = repository.findRaw(STEADY, from, Instant.now());
        assertThat(samples).hasSizeGreaterThanOrEqualTo(15).allMatch(Snapshot::isOk);
        assertThat(silent.accepted()).isGreaterThan(1);
    }

    @Test
    void aHundredKillAndRestartCyclesLeakNothing() {
        await().atMost(Duration.ofSeconds(10)).until(() -> status(CYCLED) == SnapshotStatus.OK);
        sleep(Duration.ofSeconds(1));
        int threadsBefore = Thread.activeCount();
        int connectionsBefore = connections.openConnections();

        int cycles = 100;
        for (int i = 0; i < cycles; i++) {
            cycled.kill();
            await().atMost(Duration.ofSeconds(5)).until(() -> status(CYCLED) == SnapshotStatus.UNREACHABLE);
            cycled.restart();
            await().atMost(Duration.ofSeconds(5)).until(() -> status(CYCLED) == SnapshotStatus.OK);
        }
        sleep(Duration.ofSeconds(1));
        int threadsAfter = Thread.activeCount();
        int connectionsAfter = connections.openConnections();
        System.out.printf("Fault cycles: %d kill/restart cycles survived; threads %d -> %d; Redis connections %d -> %d%n",
                cycles, threadsBefore, threadsAfter, connectionsBefore, connectionsAfter);

        assertThat(connectionsAfter).isLessThanOrEqualTo(connectionsBefore);
        // idle sampler workers retire after 60 s; what matters is that nothing grows with the number of cycles
        assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 8);
        long failed = repository.findRaw(CYCLED, Instant.now().minus(Duration.ofMinutes(10)), Instant.now()).stream()
                .filter(s -> !s.isOk()).count();
        assertThat(failed).isGreaterThanOrEqualTo(cycles);
    }

    private SnapshotStatus status(InstanceId id) {
        return repository.latest(id).map(Snapshot::status).orElse(null);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Accepts connections and never writes a byte: the worst kind of dead Redis. */
    static final class SilentListener implements AutoCloseable {

        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        private SilentListener(ServerSocket server) {
            this.server = server;
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    }
                    catch (IOException ex) {
                        return;
                    }
                }
            }, "silent-listener");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static SilentListener start() {
            try {
                return new SilentListener(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket socket : held) {
                    socket.close();
                }
            }
            catch (IOException ex) {
                // closing a test listener
            }
        }
    }
}
