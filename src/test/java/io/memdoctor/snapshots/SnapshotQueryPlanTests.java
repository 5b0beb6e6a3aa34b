package io.memdoctor.snapshots;

import java.time.Duration;
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
    RollupRepository rollups;

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
        rollups.deleteAll(ID);
        rollups.rollUp(ID, START, START.plusSeconds(SAMPLES));
        // statistics as a store that lives has them: H2 analyses a table after 2,000 changed rows on its own, and
        // this class's re-inserts of the same rows could leave it mid-way on stale ones (then it may seek by status)
        jdbc.execute("ANALYZE");
    }

    @Test
    void theAnswersAreRight() {
        assertThat(repository.latest(ID).orElseThrow().timestamp()).isEqualTo(START.plusSeconds(SAMPLES - 1));
        assertThat(repository.latestOk(ID).orElseThrow().timestamp()).isEqualTo(START.plusSeconds(DOWN_FROM - 1));
        assertThat(repository.downSince(ID)).contains(START.plusSeconds(DOWN_FROM));
        assertThat(repository.oldestRaw(ID)).contains(START);
        assertThat(rollups.rolledUntil(ID)).contains(START.plusSeconds(SAMPLES - 1).plusSeconds(60)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
        assertThat(repository.latest(InstanceId.of("nothing-here"))).isEmpty();
        assertThat(repository.downSince(InstanceId.of("nothing-here"))).isEmpty();
    }

    @Test
    void eachReadsAnIndexEntryOrTwoNotTheWholeHistory() {
        assertThat(rowsRead(SnapshotRepository.LATEST, ID.value())).isLessThanOrEqualTo(2);
        assertThat(rowsRead(SnapshotRepository.LATEST_OK, ID.value())).isLessThanOrEqualTo(2);
        assertThat(rowsRead(SnapshotRepository.OLDEST, ID.value())).isLessThanOrEqualTo(2);
        assertThat(rowsRead(RollupRepository.NEWEST_MINUTE, ID.value())).isLessThanOrEqualTo(2);
        // from the last OK sample to the first failure after it
        long lastOk = START.plusSeconds(DOWN_FROM - 1).toEpochMilli();
        assertThat(rowsRead(SnapshotRepository.FIRST_FAILURE_AFTER, ID.value(), lastOk)).isLessThanOrEqualTo(2);
    }

    /**
     * The minute's housekeeping works on every instance at once, by time: each statement must read V20's indexes on
     * time, not every row of every instance (the primary keys start with instance_id).
     */
    @Test
    void theFleetsHousekeepingReadsTheTimeIndexesNotTheTables() {
        assertThat(rowsRead(SnapshotRepository.OLDEST_OF_ALL)).isLessThanOrEqualTo(2);
        assertThat(rowsRead(RollupRepository.OLDEST_MINUTE_OF_ALL)).isLessThanOrEqualTo(2);
        // before a bound: a few index entries around it, however many rows lie after it (40 minutes here)
        assertThat(rowsRead(RollupRepository.NEWEST_MINUTE_OF_ALL, START.plusSeconds(600).toEpochMilli()))
                .isLessThanOrEqualTo(5);
        // other classes' instances may have rows in these minutes too: the rows of the window, not of the table
        long rowsIn = jdbc.queryForObject("SELECT COUNT(*) FROM snapshot_minute WHERE minute_start >= ?"
                + " AND minute_start < ?", Long.class, START.plusSeconds(600).toEpochMilli(),
                START.plusSeconds(900).toEpochMilli());
        assertThat(totalRead(RollupRepository.ROLLED_IN, START.plusSeconds(600).toEpochMilli(),
                START.plusSeconds(900).toEpochMilli())).isLessThanOrEqualTo(2 * rowsIn + 5);
        // the last 2 of the 50 minutes: their 120 samples' index entries, and their 2 minute rows
        long from = START.plusSeconds(SAMPLES - 120).toEpochMilli();
        long to = START.plusSeconds(SAMPLES).toEpochMilli();
        assertThat(plan("EXPLAIN " + RollupRepository.LATE_MINUTES, from, to))
                .contains("SNAPSHOT_SAMPLED_AT: SAMPLED_AT >= ?1");
        long samplesIn = jdbc.queryForObject("SELECT COUNT(*) FROM snapshot WHERE sampled_at >= ? AND sampled_at < ?",
                Long.class, from, to);
        assertThat(totalRead(RollupRepository.LATE_MINUTES, from, to)).isLessThanOrEqualTo(2 * samplesIn + 10)
                .isLessThan(SAMPLES);
        assertThat(plan("EXPLAIN " + rollups.rollUpAllSql(RollupLevel.MINUTE), from, to))
                .contains("SNAPSHOT_SAMPLED_AT: SAMPLED_AT >= ?1");
        assertThat(plan("EXPLAIN " + rollups.rollUpAllSql(RollupLevel.HOUR), from, to))
                .contains("SNAPSHOT_TEN_MINUTE_START: MINUTE_START >= ?1");
        assertThat(plan("EXPLAIN " + RollupRepository.EXPIRED_MINUTES, START.plusSeconds(600).toEpochMilli()))
                .contains("SNAPSHOT_MINUTE_START: MINUTE_START < ?1");

        assertThat(rollups.lateMinutes(START, Instant.ofEpochMilli(to))).isEmpty();
        assertThat(rollups.rolledUntilOfAll(RollupLevel.MINUTE, START.plusSeconds(630)))
                .contains(START.plusSeconds(660));
        assertThat(rollups.rolledIn(START.plusSeconds(600), START.plusSeconds(660))).contains(ID);
        assertThat(rollups.deleteAllBefore(RollupLevel.MINUTE, START.plusSeconds(600), Duration.ofMinutes(1)))
                .isGreaterThanOrEqualTo(10);
        assertThat(rollups.countRollups(ID, START, START.plusSeconds(600)).rows()).isZero();
        assertThat(rollups.rolledUntil(ID)).isPresent();
    }

    private String plan(String explain, Object... args) {
        return String.join(" ", jdbc.queryForList(explain, String.class, args)).replace("\n", " ");
    }

    /* every scanCount of the plan, subqueries included */
    private long totalRead(String sql, Object... args) {
        Matcher matcher = SCAN_COUNT.matcher(plan("EXPLAIN ANALYZE " + sql, args));
        long total = 0;
        while (matcher.find()) {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }

    private long rowsRead(String sql, Object... args) {
        String plan = jdbc.queryForList("EXPLAIN ANALYZE " + sql, String.class, args).get(0);
        Matcher matcher = SCAN_COUNT.matcher(plan);
        assertThat(matcher.find()).as(plan).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
