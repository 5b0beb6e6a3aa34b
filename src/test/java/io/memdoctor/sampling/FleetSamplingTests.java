package io.memdoctor.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotHistory;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.HostileRedis;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sampling a fleet at once: 208 instances (13 private redis-servers x 16 databases) and 20 silent listeners in one
 * tick all store (no saturation, no instance waiting for a dead one), and a dead instance backs off.
 */
@DashboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetSamplingTests {

    static final int SERVERS = 13;
    static final int SILENT = 20;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Autowired
    SnapshotRepository repository;

    @Autowired
    SnapshotHistory history;

    @Autowired
    MemDoctorProperties properties;

    final List<RedisServer> servers = new ArrayList<>();
    final List<HostileRedis> silent = new ArrayList<>();
    final List<InstanceId> healthy = new ArrayList<>();
    final List<InstanceId> dead = new ArrayList<>();
    final List<InstanceId> all = new ArrayList<>();

    @BeforeAll
    void fleet() {
        for (int s = 0; s < SERVERS; s++) {
            RedisServer server = RedisServer.start();
            servers.add(server);
            for (int db = 0; db < 16; db++) {
                healthy.add(instances.add("fleet-" + s + "-" + db, server.url() + "/" + db).id());
            }
        }
        for (int i = 0; i < SILENT; i++) {
            HostileRedis listener = HostileRedis.start(HostileRedis.Behaviour.SILENT);
            silent.add(listener);
            dead.add(instances.add("fleet-silent-" + i, listener.url()).id());
        }
        all.addAll(healthy);
        all.addAll(dead);
    }

    @AfterAll
    void stop() {
        all.forEach(id -> instances.find(id).ifPresent(instance -> instances.remove(id.value())));
        servers.forEach(RedisServer::close);
        silent.forEach(HostileRedis::close);
    }

    @Test
    void twoHundredInstancesAndTwentySilentOnesInOneTickAllStoreAndNoHealthyOneWaits() throws InterruptedException {
        // every addition takes a first sample once it commits
        await().atMost(Duration.ofSeconds(20)).until(() -> all.stream().allMatch(id -> count(id) >= 1));
        assertOkOrMachineTooSlow(failures(healthy));
        // the silent ones failed their first sample: Backoff makes them due again half an interval after it
        Instant lastFailure = dead.stream().map(id -> repository.latest(id).orElseThrow().timestamp())
                .max(Instant::compareTo).orElseThrow();
        long wait = Duration.between(Instant.now(), lastFailure.plus(properties.sampling().interval().dividedBy(2))
                .plusMillis(500)).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }

        Instant tick = Instant.now();
        Set<InstanceId> mine = Set.copyOf(all);
        sampler.sampleAll(list -> list.stream().filter(instance -> mine.contains(instance.id())).toList());
        await().atMost(Duration.ofSeconds(20)).until(() -> healthy.stream().allMatch(id -> count(id) >= 2));

        assertOkOrMachineTooSlow(failures(healthy));
        List<Snapshot> second = healthy.stream().map(id -> repository.latest(id).orElseThrow()).toList();
        assertThat(second).allMatch(snapshot -> !snapshot.timestamp().isBefore(tick));
        Instant lastHealthy = second.stream().filter(Snapshot::isOk).map(Snapshot::timestamp).max(Instant::compareTo)
                .orElseThrow();

        // the silent ones were sampled in the same tick and time out (1 s in tests) after every healthy one answered
        await().atMost(Duration.ofSeconds(20)).until(() -> dead.stream().allMatch(id -> count(id) >= 2));
        List<Snapshot> timedOut = dead.stream().map(id -> repository.latest(id).orElseThrow()).toList();
        assertThat(timedOut).allMatch(snapshot -> snapshot.status() == SnapshotStatus.UNREACHABLE)
                .allMatch(snapshot -> snapshot.timestamp().isAfter(lastHealthy));
        System.out.printf("Fleet tick: %d healthy samples stored OK within %d ms of the tick; %d silent timed out%n",
                healthy.size(), Duration.between(tick, lastHealthy).toMillis(), dead.size());
    }

    @Test
    void aDeadInstanceBacksOffKeepsItsDownSinceAndASuccessResetsIt() {
        RedisServer server = RedisServer.start();
        try {
            Instance instance = instances.add("fleet-backoff", server.url());
            InstanceId id = instance.id();
            await().atMost(Duration.ofSeconds(10)).until(() -> count(id) == 1);
            server.kill();
            tick(id);
            await().atMost(Duration.ofSeconds(10)).until(() -> count(id) == 2);
            Instant firstFailure = repository.latest(id).orElseThrow().timestamp();
            assertThat(sampler.failuresInARow(id)).isEqualTo(1);

            // the next tick comes at once, well before the interval (10 s) has passed: the dead instance is skipped
            tick(id);
            sleep(Duration.ofMillis(500));
            assertThat(count(id)).isEqualTo(2);

            // sampled on demand, it fails again: two in a row, and the outage still began at the first failure
            assertThat(sampler.sample(instance).isOk()).isFalse();
            assertThat(sampler.failuresInARow(id)).isEqualTo(2);
            assertThat(history.statusOf(id).downSince()).isEqualTo(firstFailure);

            server.restart();
            assertThat(sampler.sample(instance).isOk()).isTrue();
            assertThat(sampler.failuresInARow(id)).isZero();
            assertThat(history.statusOf(id).downSince()).isNull();
            // reset: the next tick samples it again
            tick(id);
            await().atMost(Duration.ofSeconds(10)).until(() -> count(id) == 5);
            instances.remove(id.value());
        }
        finally {
            server.close();
        }
    }

    /**
     * None failed for want of a worker (the old sampler stored "sampler saturated" past 64), nor for any reason but
     * Lettuce's 1 s command timeout, which a redis-server starved on this loaded 2-core machine (load 20 seen) can
     * miss; those stay a small minority.
     */
    private void assertOkOrMachineTooSlow(List<String> failures) {
        if (!failures.isEmpty()) {
            System.out.printf("Fleet tick: %d healthy samples timed out on a loaded machine: %s%n", failures.size(),
                    failures.get(0));
        }
        assertThat(failures).allMatch(failure -> failure.contains("timed out after 1 second"));
        assertThat(failures.size()).isLessThan(healthy.size() / 10);
    }

    /** The failed newest samples of these instances, with their reasons. */
    private List<String> failures(List<InstanceId> ids) {
        return ids.stream().map(id -> repository.latest(id).orElseThrow()).filter(snapshot -> !snapshot.isOk())
                .map(snapshot -> snapshot.instanceId() + ": " + snapshot.status() + " " + snapshot.error()).toList();
    }

    private void tick(InstanceId only) {
        sampler.sampleAll(list -> list.stream().filter(instance -> instance.id().equals(only)).toList());
    }

    private long count(InstanceId id) {
        return repository.countRaw(id, Instant.EPOCH, Instant.now().plusSeconds(60));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static Set<InstanceId> ids(List<Instance> list) {
        return list.stream().map(Instance::id).collect(Collectors.toSet());
    }
}
