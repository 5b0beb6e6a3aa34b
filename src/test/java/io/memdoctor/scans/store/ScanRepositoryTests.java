package io.memdoctor.scans.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The scan table with the real Flyway migrations on H2. */
@JdbcTest
class ScanRepositoryTests {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Autowired
    private JdbcTemplate jdbc;

    private ScanRepository repository;

    @BeforeEach
    void setUp() {
        repository = new ScanRepository(jdbc, JsonMapper.builder().build());
    }

    @Test
    void aScanIsStoredRunningThenWithItsResults() {
        ScanParameters parameters = ScanParameters.of("user:*", "hash", 500, 0, 10, 2000, List.of(":", "/"));
        repository.insert(ScanRecord.started("11111111-1111-1111-1111-111111111111", "cache", parameters, T0));

        ScanRecord running = repository.find("11111111-1111-1111-1111-111111111111").orElseThrow();
        assertThat(running.status()).isEqualTo(ScanStatus.RUNNING);
        assertThat(running.parameters()).isEqualTo(parameters);
        assertThat(running.results()).isNull();

        ScanResults results = results(42, 4200L);
        assertThat(repository.finish(ended("11111111-1111-1111-1111-111111111111", parameters, results))).isTrue();

        ScanRecord done = repository.find("11111111-1111-1111-1111-111111111111").orElseThrow();
        assertThat(done.status()).isEqualTo(ScanStatus.DONE);
        assertThat(done.results()).isEqualTo(results);
        assertThat(done.keys()).isEqualTo(42);
        assertThat(done.bytes()).isEqualTo(4200);
        assertThat(done.endedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void listingsAreNewestFirstAndLeaveResultsOut() {
        for (int i = 0; i < 3; i++) {
            String id = "00000000-0000-0000-0000-00000000000" + i;
            repository.insert(ScanRecord.started(id, "cache", ScanParameters.defaults(), T0.plusSeconds(i)));
            repository.finish(ended(id, ScanParameters.defaults(), results(i, (long) i)));
        }
        repository.insert(ScanRecord.started("99999999-0000-0000-0000-000000000000", "other",
                ScanParameters.defaults(), T0));

        List<ScanRecord> scans = repository.findByInstance("cache", 10);
        assertThat(scans).extracting(ScanRecord::id).containsExactly("00000000-0000-0000-0000-000000000002",
                "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000000");
        assertThat(scans).allSatisfy(scan -> assertThat(scan.results()).isNull());
        assertThat(scans.get(0).keys()).isEqualTo(2);
    }

    @Test
    void scansLeftRunningAreMarkedInterrupted() {
        repository.insert(ScanRecord.started("22222222-2222-2222-2222-222222222222", "cache",
                ScanParameters.defaults(), T0));

        assertThat(repository.interruptRunning(T0.plusSeconds(60), T0.plusSeconds(60), "stopped")).isEqualTo(1);
        ScanRecord scan = repository.find("22222222-2222-2222-2222-222222222222").orElseThrow();
        assertThat(scan.status()).isEqualTo(ScanStatus.INTERRUPTED);
        assertThat(scan.error()).isEqualTo("stopped");
        assertThat(repository.interruptRunning(T0.plusSeconds(61), T0.plusSeconds(61), "stopped")).isZero();
    }

    @Test
    void withReplicasAScanIsInterruptedOnlyOnceItsReplicaStopsBeatingAndACancelReachesItsReplica() {
        String id = "33333333-3333-3333-3333-333333333333";
        repository.insert(ScanRecord.started(id, "cache", ScanParameters.defaults(), T0));
        assertThat(repository.heartbeat(id, "replica-a", T0.plusSeconds(50), 1000, 400, List.of())).isFalse();

        // replica b starts at T0+60 s: a's scan beat 10 s ago, so it lives
        assertThat(repository.interruptRunning(T0.plusSeconds(60), T0.plusSeconds(30), "stopped")).isZero();
        ScanRecord seen = repository.find(id).orElseThrow();
        assertThat(seen.status()).isEqualTo(ScanStatus.RUNNING);
        assertThat(seen.keysScanned()).isEqualTo(400);
        assertThat(seen.keysTotal()).isEqualTo(1000);

        // b asks for a cancel; a reads it at its next beat
        assertThat(repository.requestCancel(id)).hasValue("replica-a");
        assertThat(repository.heartbeat(id, "replica-a", T0.plusSeconds(52), 1000, 450, List.of())).isTrue();

        // a dies: once its beat is older than the stale limit, b marks the scan INTERRUPTED
        assertThat(repository.interruptRunning(T0.plusSeconds(90), T0.plusSeconds(55), "died")).isEqualTo(1);
        assertThat(repository.find(id).orElseThrow().status()).isEqualTo(ScanStatus.INTERRUPTED);
        assertThat(repository.requestCancel(id)).isEmpty();
    }

    @Test
    void aClusterScansPartsShowEachNodesProgressWhileItRunsAndTheirEndOnceItEnded() {
        String id = "44444444-4444-4444-4444-444444444444";
        repository.insert(ScanRecord.started(id, "shop", ScanParameters.defaults(), T0, "primary", true,
                List.of(part("10.0.0.1:7000", ScanStatus.RUNNING, -1, 0), part("10.0.0.2:7000", ScanStatus.RUNNING,
                        -1, 0))));
        assertThat(repository.find(id).orElseThrow().parts()).extracting(ScanPart::node)
                .as("the nodes are known from the start, on every replica").containsExactly("10.0.0.1:7000",
                        "10.0.0.2:7000");

        // the first node is done, the second still scanning
        assertThat(repository.heartbeat(id, "replica-a", T0.plusSeconds(4), 3000, 2000, List.of(
                part("10.0.0.1:7000", ScanStatus.DONE, 1000, 1000), part("10.0.0.2:7000", ScanStatus.RUNNING, 2000,
                        1000)))).isFalse();
        assertThat(repository.find(id).orElseThrow().parts()).extracting(ScanPart::status, ScanPart::keysTotal,
                ScanPart::keysScanned).containsExactly(tuple(ScanStatus.DONE, 1000L, 1000L),
                tuple(ScanStatus.RUNNING, 2000L, 1000L));

        // a cancel asked through another replica stops the whole scan: the running replica reads it at its beat
        assertThat(repository.requestCancel(id)).hasValue("replica-a");
        assertThat(repository.heartbeat(id, "replica-a", T0.plusSeconds(6), 3000, 2500, List.of(
                part("10.0.0.1:7000", ScanStatus.DONE, 1000, 1000), part("10.0.0.2:7000", ScanStatus.RUNNING, 2000,
                        1500)))).isTrue();
        ScanResults results = results(2400, 24_000L);
        repository.finish(new ScanRecord(id, "shop", ScanStatus.CANCELLED, ScanParameters.defaults(), T0,
                T0.plusSeconds(7), 3000, 2600, 7000, null, results, results.keys(), results.bytes(), "primary", true,
                List.of(part("10.0.0.1:7000", ScanStatus.DONE, 1000, 1000), part("10.0.0.2:7000",
                        ScanStatus.CANCELLED, 2000, 1600))));
        // a beat written after the end (the heartbeat thread raced the scan's end) changes nothing
        repository.heartbeat(id, "replica-a", T0.plusSeconds(8), 3000, 2500, List.of(
                part("10.0.0.1:7000", ScanStatus.DONE, 1000, 1000), part("10.0.0.2:7000", ScanStatus.RUNNING, 2000,
                        1500)));
        ScanRecord ended = repository.find(id).orElseThrow();
        assertThat(ended.status()).isEqualTo(ScanStatus.CANCELLED);
        assertThat(ended.keysScanned()).isEqualTo(2600);
        assertThat(ended.parts()).extracting(ScanPart::status, ScanPart::keysScanned).containsExactly(
                tuple(ScanStatus.DONE, 1000L), tuple(ScanStatus.CANCELLED, 1600L));
    }

    @Test
    void theNodesOfAScanWhoseReplicaDiedAreInterruptedWithIt() {
        String id = "55555555-5555-5555-5555-555555555555";
        repository.insert(ScanRecord.started(id, "shop", ScanParameters.defaults(), T0, "primary", true,
                List.of(part("10.0.0.1:7000", ScanStatus.RUNNING, -1, 0), part("10.0.0.2:7000", ScanStatus.RUNNING,
                        -1, 0))));
        repository.heartbeat(id, "replica-a", T0.plusSeconds(2), 2000, 900, List.of(
                part("10.0.0.1:7000", ScanStatus.FAILED, 1000, 400), part("10.0.0.2:7000", ScanStatus.RUNNING, 1000,
                        500)));

        assertThat(repository.interruptRunning(T0.plusSeconds(60), T0.plusSeconds(30), "died")).isEqualTo(1);
        assertThat(repository.find(id).orElseThrow().parts()).extracting(ScanPart::status, ScanPart::keysScanned)
                .containsExactly(tuple(ScanStatus.FAILED, 400L), tuple(ScanStatus.INTERRUPTED, 500L));
    }

    private static ScanPart part(String node, ScanStatus status, long total, long scanned) {
        return new ScanPart(node, "primary", null, status, total, scanned, scanned, null, null, null);
    }

    @Test
    void trimKeepsTheNewestEndedScansAndNeverARunningOne() {
        for (int i = 0; i < 5; i++) {
            String id = "00000000-0000-0000-0000-00000000000" + i;
            repository.insert(ScanRecord.started(id, "cache", ScanParameters.defaults(), T0.plusSeconds(i)));
            if (i > 0) {
                repository.finish(ended(id, ScanParameters.defaults(), results(i, null)));
            }
        }
        assertThat(repository.trim("cache", 2)).isEqualTo(2);
        assertThat(repository.findByInstance("cache", 10)).extracting(ScanRecord::id).containsExactly(
                "00000000-0000-0000-0000-000000000004", "00000000-0000-0000-0000-000000000003",
                "00000000-0000-0000-0000-000000000000");
        assertThat(repository.deleteByInstance("cache")).isEqualTo(3);
        assertThat(repository.finish(ended("00000000-0000-0000-0000-000000000004", ScanParameters.defaults(),
                results(1, 1L)))).isFalse();
    }

    private static ScanRecord ended(String id, ScanParameters parameters, ScanResults results) {
        return new ScanRecord(id, "cache", ScanStatus.DONE, parameters, T0, T0.plusSeconds(5), 100, results.keys(),
                5000, null, results, results.keys(), results.bytes());
    }

    private static ScanResults results(long keys, Long bytes) {
        ScanResults.KeyEntry key = new ScanResults.KeyEntry("big\\xff<b>", "list", bytes, 10L, -1);
        return new ScanResults(keys, 1, 0, bytes, 3, bytes != null, bytes == null ? "refused" : null, List.of(key),
                Map.of("list", new ScanResults.Biggest(key, bytes == null ? null : key)),
                Map.of("list", new ScanResults.TypeTotals(keys, bytes, 10)),
                List.of(new ScanResults.PatternEntry("big*", keys, bytes, 0, 1.0)),
                List.of(new ScanResults.TtlBucket("none", "no expiry", keys, bytes)));
    }
}
