package io.memdoctor.snapshots;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.memdoctor.instances.InstanceId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queries every page refresh makes (newest sample, newest OK sample, since when down, oldest raw sample, newest
 * rollup) must read an index entry or two, not every row of the instance: H2's own EXPLAIN ANALYZE counts the rows read.
 * At 7 days of 1-second samples the full read took 2 s per query (docs/benchmarks/page-load.md).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class SnapshotQueryPlanTests {

    static final InstanceId ID = InstanceId.of("plans");
    static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    static final int SAMPLES = 3_000;
    /** Samples 2,990 and later failed: the instance is down since then. */
    static final int DOWN_FROM = 2_990;

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    @Autowired
    SnapshotRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void history() {
        repository.deleteAll(ID);
        List<Snapshot> samples = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            Instant at = START.plusSeconds(i);
            samples.add(i >= DOWN_FROM ? Snapshot.failed(ID, at, SnapshotStatus.UNREACHABLE, "refused")
                    : Snapshot.ok(ID, at, Map.of(Metric.USED_MEMORY, 1_000_000L + i)));
        }
        repository.saveAll(samples);
        repository.rollUp(ID, START, START.plusSeconds(SAMPLES));
    }

    @Test
    void theAnswersAreRight() {
        assertThat(repository.latest(ID).orElseThrow().timestamp()).isEqualTo(START.plusSeconds(SAMPLES - 1));
        assertThat(repository.latestOk(ID).orElseThrow().timestamp()).isEqualTo(START.plusSeconds(DOWN_FROM - 1));
        assertThat(repository.downSince(ID)).contains(START.plusSeconds(DOWN_FROM));
        assertThat(repository.oldestRaw(ID)).contains(START);
        assertThat(repository.rolledUntil(ID)).contains(START.plusSeconds(SAMPLES - 1).plusSeconds(60)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
        assertThat(repository.latest(InstanceId.of("nothing-here"))).isEmpty();
        assertThat(repository.downSince(InstanceId.of("nothing-here"))).isEmpty();
    }

    @Test
    void eachReadsAnIndexEntryOrTwoNotTheWholeHistory() {
        assertThat(rowsRead(SnapshotRepository.LATEST, ID.value())).isLessThanOrEqualTo(2);
        assertThat(rowsRead(SnapshotRepository.LATEST_OK, ID.value())).isLessThanOrEqualTo(2);
        assertThat(rowsRead(SnapshotRepository.OLDEST, ID.value())).isLessThanOrEqualTo(2);
        assertThat(rowsRead(SnapshotRepository.NEWEST_MINUTE, ID.value())).isLessThanOrEqualTo(2);
        // from the last OK sample to the first failure after it
        long lastOk = START.plusSeconds(DOWN_FROM - 1).toEpochMilli();
        assertThat(rowsRead(SnapshotRepository.FIRST_FAILURE_AFTER, ID.value(), lastOk)).isLessThanOrEqualTo(2);
    }

    @Test
    void expiringRollupsReadsOnlyTheInstancesExpiredRows() {
        String plan = jdbc.queryForList("EXPLAIN " + SnapshotRepository.EXPIRED_ROLLUPS, String.class, ID.value(),
                START.plusSeconds(600).toEpochMilli()).get(0);
        // the index condition (inside H2's comment) bounds both columns: only the expired rows are read
        assertThat(plan).containsPattern("PRIMARY_KEY_\\w+: INSTANCE_ID = \\?1\\s+AND MINUTE_START < \\?2\\s+\\*/");
        assertThat(repository.deleteRollupsBefore(ID, START.plusSeconds(600))).isEqualTo(10);
        assertThat(repository.rolledUntil(ID)).isPresent();
    }

    private long rowsRead(String sql, Object... args) {
        String plan = jdbc.queryForList("EXPLAIN ANALYZE " + sql, String.class, args).get(0);
        Matcher matcher = SCAN_COUNT.matcher(plan);
        assertThat(matcher.find()).as(plan).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
