package io.memdoctor.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.HostileRedis;
import io.memdoctor.support.HostileRedis.Behaviour;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Five hostile servers watched beside a real Redis, by the whole dashboard: each is recorded as failed with a clear
 * reason, the real one keeps its schedule, scans of the hostile ones fail, and no reply forges a log line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "memdoctor.sampling.enabled=true", "memdoctor.sampling.interval=100ms", "memdoctor.sampling.timeout=250ms",
        "memdoctor.scans.timeout=500ms", "logging.level.io.memdoctor.sampling=debug"})
@ActiveProfiles("test")
@DirtiesContext // scheduled sampling every 100 ms and short timeouts: a context only it uses
@ExtendWith(OutputCaptureExtension.class)
class HostileRedisDashboardTests {

    static final RedisServer steady = RedisServer.start();
    static final Map<Behaviour, HostileRedis> hostile = new EnumMap<>(Behaviour.class);

    static {
        for (Behaviour behaviour : Behaviour.values()) {
            hostile.put(behaviour, HostileRedis.start(behaviour));
        }
    }

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.instances[0].name", () -> "steady");
        registry.add("memdoctor.instances[0].url", steady::url);
        int i = 1;
        for (Map.Entry<Behaviour, HostileRedis> server : hostile.entrySet()) {
            String name = server.getKey().name().toLowerCase().replace('_', '-');
            registry.add("memdoctor.instances[" + i + "].name", () -> name);
            registry.add("memdoctor.instances[" + i + "].url", server.getValue()::url);
            i++;
        }
    }

    @AfterAll
    static void stop() {
        steady.close();
        hostile.values().forEach(HostileRedis::close);
    }

    @Autowired
    SnapshotRepository snapshots;

    @Autowired
    ScanService scans;

    @Test
    void hostileServersFailWithAReasonWhileTheRealOneKeepsItsSchedule(CapturedOutput output) {
        Map<Behaviour, String> reasons = Map.of(
                Behaviour.HUGE_BULK, "a bulk string of 1500000000 bytes",
                Behaviour.ENDLESS_LINE, "a line longer than 65536 bytes",
                Behaviour.HUGE_ARRAY, "an array of 100000000 elements",
                Behaviour.ERROR_WITH_NEWLINES, "a line feed inside a status or error line",
                Behaviour.SILENT, "timed out");
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> reasons.forEach((behaviour, reason) -> {
            Snapshot latest = snapshots.latest(id(behaviour)).orElseThrow();
            assertThat(latest.status()).isEqualTo(behaviour == Behaviour.SILENT ? SnapshotStatus.UNREACHABLE
                    : SnapshotStatus.ERROR);
            assertThat(latest.error()).contains(reason);
        }));

        Instant from = Instant.now();
        sleep(Duration.ofSeconds(2));
        List<Snapshot> samples = snapshots.findRaw(InstanceId.of("steady"), from, Instant.now());
        assertThat(samples).hasSizeGreaterThanOrEqualTo(15).allMatch(Snapshot::isOk);

        String forger = id(Behaviour.ERROR_WITH_NEWLINES).value();
        ScanView scan = scans.start(forger, ScanParameters.defaults());
        await().atMost(Duration.ofSeconds(10)).until(() -> scans.get(scan.id()).status().ended());
        ScanView ended = scans.get(scan.id());
        assertThat(ended.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(ended.error()).contains("SCAN was refused: ERR first line\\n" + HostileRedis.FORGED);
        for (Behaviour behaviour : List.of(Behaviour.HUGE_BULK, Behaviour.HUGE_ARRAY, Behaviour.SILENT)) {
            ScanView other = scans.start(id(behaviour).value(), ScanParameters.defaults());
            await().atMost(Duration.ofSeconds(10)).until(() -> scans.get(other.id()).status().ended());
            assertThat(scans.get(other.id()).status()).isEqualTo(ScanStatus.FAILED);
        }

        // the scan's end is logged with Redis' error in it, escaped: the forged text stays inside that line
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("\\n" + HostileRedis.FORGED));
        assertThat(output.getAll().lines()).noneMatch(line -> line.startsWith(HostileRedis.FORGED));
    }

    private static InstanceId id(Behaviour behaviour) {
        return InstanceId.of(behaviour.name().toLowerCase().replace('_', '-'));
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
