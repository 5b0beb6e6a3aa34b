package io.memdoctor.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.snapshots.InfoParser;
import io.memdoctor.snapshots.Metric;
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
 * The scheduled sampler against two private redis-server processes: values match INFO, and one Redis that dies
 * or freezes never delays the other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@DirtiesContext // scheduled sampling every 500 ms: a context only it uses
class SamplingTests {

    static final Duration INTERVAL = Duration.ofMillis(500);
    static final RedisServer steady = RedisServer.start("--enable-debug-command", "yes");
    static final RedisServer flaky = RedisServer.start();

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.sampling.enabled", () -> "true");
        registry.add("memdoctor.sampling.interval", () -> INTERVAL.toMillis() + "ms");
        registry.add("memdoctor.sampling.timeout", () -> "300ms");
        registry.add("memdoctor.instances[0].name", () -> "steady");
        registry.add("memdoctor.instances[0].url", steady::url);
        registry.add("memdoctor.instances[1].name", () -> "flaky");
        registry.add("memdoctor.instances[1].url", flaky::url);
    }

    @AfterAll
    static void stopServers() {
        steady.close();
        flaky.close();
    }

    @Autowired
    SnapshotRepository repository;

    @Autowired
    InstanceService instances;

    @Autowired
    InstanceStatus.Source statuses;

    @Autowired
    Sampler sampler;

    @Autowired
    SnapshotCollector collector;

    static final InstanceId STEADY = InstanceId.of("steady");
    static final InstanceId FLAKY = InstanceId.of("flaky");

    /** A sample in flight when its instance is removed stores nothing: no orphan rows behind the removal. */
    @Test
    void removingAnInstanceMidSampleLeavesNoRowBehind() throws Exception {
        try (RedisServer stalled = RedisServer.start()) {
            instances.add("gone", stalled.url());
            InstanceId gone = InstanceId.of("gone");
            await().atMost(Duration.ofSeconds(5)).until(() -> repository.latest(gone).isPresent());
            stalled.pause();
            // a sample that hangs on the paused Redis while the instance is removed
            var instance = instances.get("gone");
            var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> sampler.sample(instance));
            Thread.sleep(100);
            instances.remove("gone");
            stalled.resume();
            assertThat(inFlight.get(5, java.util.concurrent.TimeUnit.SECONDS).status()).isNotNull();
            Thread.sleep(INTERVAL.toMillis());
            assertThat(repository.latest(gone)).isEmpty();
            assertThat(repository.oldestRaw(gone)).isEmpty();
        }
    }

    @Test
    void storedValuesAreWhatInfoSaid() {
        steady.cli("DEBUG", "POPULATE", "20000", "key", "512");
        Instance instance = instances.get("steady");
        SnapshotCollector.Collected collected = collector.collect(instance).toCompletableFuture().join();
        Snapshot snapshot = collected.snapshot();
        String independent = steady.cli("INFO", "all");

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.OK);
        // exactly what the INFO of that sample said
        assertThat(snapshot.getLong(Metric.USED_MEMORY))
                .isEqualTo(Long.parseLong(InfoParser.fields(collected.infoText()).get("used_memory")));
        assertThat(snapshot.getLong(Metric.USED_MEMORY_RSS))
                .isEqualTo(Long.parseLong(InfoParser.fields(collected.infoText()).get("used_memory_rss")));
        // and what an independent redis-cli INFO says right after (a client's buffers apart)
        long cliUsed = Long.parseLong(InfoParser.fields(independent).get("used_memory"));
        assertThat(snapshot.getLong(Metric.USED_MEMORY)).isCloseTo(cliUsed, org.assertj.core.data.Offset.offset(100_000L));
        assertThat(snapshot.getLong(Metric.USED_MEMORY)).isGreaterThan(20_000L * 512);
        assertThat(snapshot.getLong(Metric.KEYS)).isEqualTo(20_000L);
        assertThat(snapshot.getLong(Metric.DBSIZE)).isEqualTo(20_000L);
        assertThat(snapshot.getText(Metric.REDIS_VERSION)).isEqualTo(InfoParser.fields(independent).get("redis_version"));
        assertThat(snapshot.getText(Metric.MAXMEMORY_POLICY)).isEqualTo("noeviction");
        // the sampler stores what it collects, field for field
        Snapshot stored = sampler.sample(instance);
        assertThat(repository.findRaw(STEADY, stored.timestamp(), stored.timestamp().plusMillis(1)))
                .singleElement().satisfies(s -> assertThat(s.values()).isEqualTo(stored.values()));
    }

    @Test
    void aDeadOrFrozenRedisIsRecordedWhileTheOtherKeepsItsSchedule() {
        awaitOk(FLAKY);

        // killed: connection refused
        flaky.kill();
        Instant killedAt = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> latestStatus(FLAKY) == SnapshotStatus.UNREACHABLE);
        assertThat(repository.latest(FLAKY).orElseThrow().error()).isNotBlank();
        InstanceStatus down = statuses.statusOf(FLAKY);
        assertThat(down.state()).isEqualTo("UNREACHABLE");
        assertThat(down.downSince()).isAfterOrEqualTo(killedAt.minusSeconds(1));
        assertSteadyOnSchedule(Duration.ofSeconds(3));

        // back: sampling resumes by itself
        flaky.restart();
        awaitOk(FLAKY);
        assertThat(statuses.statusOf(FLAKY).downSince()).isNull();

        // frozen (SIGSTOP): the port accepts, nothing answers; samples time out
        flaky.pause();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> latestStatus(FLAKY) == SnapshotStatus.UNREACHABLE);
            assertSteadyOnSchedule(Duration.ofSeconds(3));
        }
        finally {
            flaky.resume();
        }
        awaitOk(FLAKY);
    }

    private void assertSteadyOnSchedule(Duration window) {
        Instant from = Instant.now();
        sleep(window);
        List<Snapshot> samples = repository.findRaw(STEADY, from, Instant.now());
        long expected = window.toMillis() / INTERVAL.toMillis();
        assertThat(samples).allMatch(Snapshot::isOk);
        assertThat(samples.size()).as("steady samples in %s", window).isGreaterThanOrEqualTo((int) expected - 1);
        for (int i = 1; i < samples.size(); i++) {
            Duration gap = Duration.between(samples.get(i - 1).timestamp(), samples.get(i).timestamp());
            assertThat(gap).as("gap between steady samples").isLessThan(INTERVAL.multipliedBy(2));
        }
    }

    private void awaitOk(InstanceId id) {
        await().atMost(Duration.ofSeconds(15)).until(() -> latestStatus(id) == SnapshotStatus.OK);
    }

    private SnapshotStatus latestStatus(InstanceId id) {
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
}
