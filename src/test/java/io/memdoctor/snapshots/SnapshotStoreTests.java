package io.memdoctor.snapshots;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.InstanceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store with the real Flyway migrations: columns, round trips, rollups, retention and history queries. On H2
 * here; {@link SnapshotStorePostgresTests} runs the same tests on PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class SnapshotStoreTests {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:30Z");

    @Autowired
    SnapshotRepository repository;

    @Autowired
    RollupRepository rollups;

    @Autowired
    SnapshotHistory history;

    @Autowired
    SnapshotRetention retention;

    @Autowired
    InstanceService instances;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void migrationsGiveEveryMetricAColumnAndEveryNumberItsRollupColumns() {
        Set<String> raw = columns("SNAPSHOT");
        for (RollupLevel level : RollupLevel.values()) {
            Set<String> rollup = columns(level.table().toUpperCase());
            for (Metric metric : Metric.values()) {
                String column = metric.column().toUpperCase();
                assertThat(raw).as(metric.name()).contains(column);
                if (metric.numeric()) {
                    assertThat(rollup).as(level + " " + metric).contains(column + "_MIN", column + "_AVG",
                            column + "_MAX");
                }
                else {
                    assertThat(rollup).as(level + " " + metric).contains(column);
                }
            }
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\"",
                Integer.class)).isPositive();
    }

    @Test
    void aSnapshotRoundTripsWithAbsentFieldsStillAbsent() {
        InstanceId id = InstanceId.of("round-trip");
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        values.put(Metric.USED_MEMORY, 123_456_789_012L);
        values.put(Metric.MEM_FRAGMENTATION_RATIO, 1.73);
        values.put(Metric.MAXMEMORY_POLICY, "volatile-lru");
        values.put(Metric.MAXMEMORY, 0L);
        repository.save(Snapshot.ok(id, NOW, values));
        repository.save(Snapshot.failed(id, NOW.plusSeconds(10), SnapshotStatus.UNREACHABLE, "Connection refused"));

        List<Snapshot> stored = repository.findRaw(id, NOW, NOW.plusSeconds(11));
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).values()).isEqualTo(values);
        assertThat(stored.get(0).get(Metric.ALLOCATOR_FRAG_RATIO)).isNull();
        assertThat(stored.get(0).getLong(Metric.MAXMEMORY)).isZero();
        assertThat(stored.get(1).status()).isEqualTo(SnapshotStatus.UNREACHABLE);
        assertThat(stored.get(1).error()).isEqualTo("Connection refused");
        assertThat(repository.latest(id)).get().extracting(Snapshot::status).isEqualTo(SnapshotStatus.UNREACHABLE);
        assertThat(repository.latestOk(id)).get().extracting(Snapshot::timestamp).isEqualTo(NOW);
        assertThat(repository.downSince(id)).contains(NOW.plusSeconds(10));
    }

    @Test
    void theLatestRowMovesOnlyForwardAndKnowsWhenTheOutageBegan() {
        assertThat(columns("SNAPSHOT_LATEST")).containsAll(Arrays.stream(Metric.values())
                .map(m -> m.column().toUpperCase()).toList());
        InstanceId id = InstanceId.of("latest-row");
        repository.save(sample(id, NOW, 1000, 2000));
        repository.save(Snapshot.failed(id, NOW.plusSeconds(10), SnapshotStatus.UNREACHABLE, "refused"));
        repository.save(Snapshot.failed(id, NOW.plusSeconds(20), SnapshotStatus.ERROR, "LOADING"));
        repository.save(sample(id, NOW.minusSeconds(100), 7, 7));

        LatestSamples.Latest latest = repository.latestOfAll().get(id);
        assertThat(latest.status()).isEqualTo(new InstanceStatus("ERROR", NOW.plusSeconds(20), NOW.plusSeconds(10),
                "LOADING"));
        assertThat(latest.latestOk().timestamp()).isEqualTo(NOW);
        assertThat(latest.latestOk().values()).isEqualTo(sample(id, NOW, 1000, 2000).values());
        // the same answers as the history queries
        assertThat(latest.status()).isEqualTo(history.statusOf(id));
        assertThat(latest.latestOk()).isEqualTo(history.latestOk(id).orElseThrow());

        repository.saveAll(List.of(sample(id, NOW.plusSeconds(30), 1, 1),
                Snapshot.failed(id, NOW.plusSeconds(40), SnapshotStatus.UNREACHABLE, "timeout"),
                Snapshot.failed(id, NOW.plusSeconds(50), SnapshotStatus.UNREACHABLE, "timeout again")));
        latest = repository.latestOfAll().get(id);
        assertThat(latest.status()).isEqualTo(history.statusOf(id));
        assertThat(latest.status().downSince()).isEqualTo(NOW.plusSeconds(40));
        assertThat(latest.latestOk().timestamp()).isEqualTo(NOW.plusSeconds(30));

        repository.save(sample(id, NOW.plusSeconds(60), 5, 5));
        assertThat(repository.latestOfAll().get(id).status()).isEqualTo(new InstanceStatus("OK",
                NOW.plusSeconds(60), null, null));
        repository.deleteAll(id);
        assertThat(repository.latestOfAll()).doesNotContainKey(id);
    }

    /**
     * A sample older than the instance's latest row (a late write, or a first sample another replica stored first)
     * inside a tick's transaction: on PostgreSQL a failed INSERT would abort the transaction and every other sample of
     * the tick with it.
     */
    @Test
    void aLateSampleInATicksTransactionKeepsTheRestOfTheTick() {
        InstanceId late = InstanceId.of("latest-late");
        InstanceId other = InstanceId.of("latest-other");
        repository.save(sample(late, NOW.plusSeconds(100), 500, 500));
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            repository.saveBatch(List.of(sample(late, NOW, 1, 1), sample(other, NOW, 2, 2)), Map.of());
            repository.save(sample(other, NOW.plusSeconds(1), 3, 3));
        });
        Map<InstanceId, LatestSamples.Latest> all = repository.latestOfAll();
        assertThat(all.get(late).latestOk().timestamp()).isEqualTo(NOW.plusSeconds(100));
        assertThat(all.get(other).latestOk().timestamp()).isEqualTo(NOW.plusSeconds(1));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM snapshot WHERE instance_id IN (?, ?)", Integer.class,
                late.value(), other.value())).isEqualTo(4);
        repository.deleteAll(late);
        repository.deleteAll(other);
    }

    @Test
    void retentionRollsUpBeforeItDropsAndExpiresOldRollups() {
        InstanceId id = instances.add("retention", "redis://127.0.0.1:1").id();
        // one sample every 5 minutes for 100 days, two in those minutes of the last 10 days, one failed sample
        List<Snapshot> samples = new ArrayList<>();
        for (Instant at = NOW.minus(Duration.ofDays(100)); at.isBefore(NOW); at = at.plusSeconds(300)) {
            long minute = at.getEpochSecond() / 60;
            samples.add(sample(id, at, 1000 + minute % 7, 2000 + minute % 5));
            if (at.isAfter(NOW.minus(Duration.ofDays(10)))) {
                samples.add(sample(id, at.plusSeconds(20), 5000, 9000));
            }
        }
        Instant failedAt = NOW.minus(Duration.ofDays(8)).minusSeconds(20);
        samples.add(Snapshot.failed(id, failedAt, SnapshotStatus.UNREACHABLE, "timeout"));
        repository.saveAll(samples);

        SnapshotRetention.Result result = retention.runAt(NOW);

        assertThat(result.rawDropped()).isPositive();
        assertThat(repository.oldestRaw(id)).get().satisfies(
                oldest -> assertThat(oldest).isAfterOrEqualTo(NOW.minus(Duration.ofDays(7))));
        Instant rollupHorizon = NOW.minus(Duration.ofDays(90));
        assertThat(jdbc.queryForObject("SELECT MIN(minute_start) FROM snapshot_minute WHERE instance_id = ?",
                Long.class, id.value())).isGreaterThanOrEqualTo(rollupHorizon.toEpochMilli());
        // the minute 9 days ago had two samples: min, avg and max survive the raw rows
        long minute = NOW.minus(Duration.ofDays(9)).minusSeconds(30).toEpochMilli() / 60_000 * 60_000;
        Map<String, Object> row = jdbc.queryForMap("SELECT samples, ok_samples, used_memory_min, used_memory_avg,"
                + " used_memory_max FROM snapshot_minute WHERE instance_id = ? AND minute_start = ?", id.value(), minute);
        long first = 1000 + (minute / 60_000) % 7;
        assertThat(row).containsEntry("SAMPLES", 2).containsEntry("OK_SAMPLES", 2)
                .containsEntry("USED_MEMORY_MIN", first).containsEntry("USED_MEMORY_MAX", 5000L);
        assertThat((Double) row.get("USED_MEMORY_AVG")).isEqualTo((first + 5000) / 2.0);
        long failedMinute = failedAt.toEpochMilli() / 60_000 * 60_000;
        // that minute held two good samples and the failed one
        assertThat(jdbc.queryForMap("SELECT samples, ok_samples FROM snapshot_minute WHERE instance_id = ?"
                + " AND minute_start = ?", id.value(), failedMinute))
                .containsEntry("SAMPLES", 3).containsEntry("OK_SAMPLES", 2);

        // a second run changes nothing it already did
        assertThat(retention.runAt(NOW).rawDropped()).isZero();

        // a 30-day chart reads rollups and still shows that the instance failed 8 days ago
        SnapshotHistory.HistoryResult month = history.range(id, NOW.minus(Duration.ofDays(30)), NOW, 1000);
        assertThat(month.points()).hasSizeLessThanOrEqualTo(1000);
        assertThat(month.points()).anyMatch(p -> !p.isOk());
        assertThat(month.points()).extracting(p -> p.getLong(Metric.USED_MEMORY)).contains(5000L);
    }

    /**
     * Once every instance is rolled up, a run rolls the fleet's new minute in one statement and only the minutes that
     * received samples after their roll-up again (a late write, or one by another replica: the watermark is in the
     * database), with their 10-minute row; it never re-rolls minutes nothing was added to.
     */
    @Test
    void aRunRollsOnlyNewMinutesAndThoseThatReceivedLateSamples() {
        // after every other history this context holds, so the newest minute of any instance is this test's
        Instant t = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        InstanceId a = instances.add("fleet a", "redis://127.0.0.1:11").id();
        InstanceId b = instances.add("fleet b", "redis://127.0.0.1:12").id();
        List<Snapshot> first = new ArrayList<>();
        for (Instant at = t.minus(Duration.ofMinutes(10)); at.isBefore(t); at = at.plusSeconds(10)) {
            first.add(sample(a, at, 1000, 2000));
            first.add(sample(b, at, 3000, 4000));
        }
        repository.saveAll(first);
        retention.runAt(t.plusSeconds(20));
        assertThat(rollups.countRollups(RollupLevel.TEN_MINUTES, a, t.minus(Duration.ofMinutes(10)), t).samples())
                .isEqualTo(60);

        Instant lateMinute = t.minus(Duration.ofMinutes(2));
        List<Snapshot> next = new ArrayList<>();
        for (Instant at = t; at.isBefore(t.plusSeconds(60)); at = at.plusSeconds(10)) {
            next.add(sample(a, at, 1000, 2000));
            next.add(sample(b, at, 3000, 4000));
        }
        next.add(sample(a, lateMinute.plusSeconds(5), 9000, 9000));
        repository.saveAll(next);

        // two new minute rows (a and b at t) and the late one: not the last five minutes of each instance again
        assertThat(retention.runAt(t.plusSeconds(80)).minutesRolledUp()).isEqualTo(3);
        assertThat(rollups.countRollups(a, t, t.plusSeconds(60)).samples()).isEqualTo(6);
        assertThat(rollups.countRollups(b, t, t.plusSeconds(60)).samples()).isEqualTo(6);
        Map<String, Object> late = jdbc.queryForMap("SELECT samples, used_memory_max FROM snapshot_minute"
                + " WHERE instance_id = ? AND minute_start = ?", a.value(), lateMinute.toEpochMilli());
        assertThat(((Number) late.get("SAMPLES")).intValue()).isEqualTo(7);
        assertThat(((Number) late.get("USED_MEMORY_MAX")).longValue()).isEqualTo(9000);
        assertThat(rollups.countRollups(RollupLevel.TEN_MINUTES, a, t.minus(Duration.ofMinutes(10)), t).samples())
                .isEqualTo(61);
        assertThat(rollups.countRollups(RollupLevel.TEN_MINUTES, b, t.minus(Duration.ofMinutes(10)), t).samples())
                .isEqualTo(60);

        // nothing new: nothing rolled
        assertThat(retention.runAt(t.plusSeconds(140)).minutesRolledUp()).isZero();
    }

    @Test
    void historyKeepsAShortSpikeInSevenDaysAndAnswersShortRangesWithRawSamples() {
        InstanceId id = instances.add("history", "redis://127.0.0.1:2").id();
        Instant spikeAt = NOW.minus(Duration.ofDays(4)).plusSeconds(10);
        List<Snapshot> samples = new ArrayList<>();
        for (Instant at = NOW.minus(Duration.ofDays(7)); at.isBefore(NOW); at = at.plusSeconds(10)) {
            samples.add(sample(id, at, 1_000_000, at.equals(spikeAt) ? 50_000_000 : 1_300_000));
        }
        repository.saveAll(samples);
        retention.runAt(NOW);

        SnapshotHistory.HistoryResult week = history.range(id, NOW.minus(Duration.ofDays(7)), NOW, 1000);
        assertThat(week.downsampled()).isTrue();
        assertThat(week.samples()).isEqualTo(samples.size());
        assertThat(week.bucket()).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(week.points()).hasSizeLessThanOrEqualTo(1000);
        assertThat(week.points()).extracting(p -> p.getLong(Metric.USED_MEMORY_RSS)).contains(50_000_000L);
        assertThat(week.points()).isSortedAccordingTo((a, b) -> a.timestamp().compareTo(b.timestamp()));

        SnapshotHistory.HistoryResult hour = history.range(id, NOW.minus(Duration.ofHours(1)), NOW, 1000);
        assertThat(hour.downsampled()).isFalse();
        assertThat(hour.points()).hasSize(360);
        assertThat(hour.points().get(0).timestamp()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void tenMinuteAndHourlyRowsKeepExtremesAndWeightedAveragesAndLongRangesCountEachSampleOnce() {
        InstanceId id = instances.add("coarse", "redis://127.0.0.1:7").id();
        // 3 days every 30 s; one 30-second spike; the 12:00 hour two days ago has an outage of 5 minutes
        Instant start = NOW.minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Instant spikeAt = start.plus(Duration.ofHours(30)).plusSeconds(330);
        Instant outage = start.plus(Duration.ofHours(36));
        List<Snapshot> samples = new ArrayList<>();
        for (Instant at = start; at.isBefore(NOW); at = at.plusSeconds(30)) {
            if (!at.isBefore(outage) && at.isBefore(outage.plusSeconds(300))) {
                samples.add(Snapshot.failed(id, at, SnapshotStatus.UNREACHABLE, "timeout"));
            }
            else {
                long minuteOfHour = at.getEpochSecond() / 60 % 60;
                samples.add(sample(id, at, 1000 + minuteOfHour, at.equals(spikeAt) ? 9_000_000 : 2000));
            }
        }
        repository.saveAll(samples);
        retention.runAt(NOW);

        long spikeHour = spikeAt.toEpochMilli() / 3_600_000 * 3_600_000;
        Map<String, Object> hour = jdbc.queryForMap("SELECT samples, ok_samples, used_memory_min, used_memory_avg,"
                + " used_memory_max, used_memory_rss_max FROM snapshot_hour WHERE instance_id = ? AND minute_start = ?",
                id.value(), spikeHour);
        // 120 samples, minutes 0..59 twice each: min 1000, max 1059, mean 1029.5
        assertThat(((Number) hour.get("SAMPLES")).intValue()).isEqualTo(120);
        assertThat(((Number) hour.get("OK_SAMPLES")).intValue()).isEqualTo(120);
        assertThat(((Number) hour.get("USED_MEMORY_MIN")).longValue()).isEqualTo(1000);
        assertThat(((Number) hour.get("USED_MEMORY_MAX")).longValue()).isEqualTo(1059);
        assertThat(((Number) hour.get("USED_MEMORY_AVG")).doubleValue()).isCloseTo(1029.5,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(((Number) hour.get("USED_MEMORY_RSS_MAX")).longValue()).isEqualTo(9_000_000);
        // the outage hour: 10 failed of 120, and the average only over the OK samples (minutes 5..59)
        Map<String, Object> down = jdbc.queryForMap("SELECT samples, ok_samples, used_memory_avg FROM snapshot_hour"
                + " WHERE instance_id = ? AND minute_start = ?", id.value(), outage.toEpochMilli());
        assertThat(((Number) down.get("SAMPLES")).intValue()).isEqualTo(120);
        assertThat(((Number) down.get("OK_SAMPLES")).intValue()).isEqualTo(110);
        assertThat(((Number) down.get("USED_MEMORY_AVG")).doubleValue()).isCloseTo(1032.0,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM snapshot_ten_minute WHERE instance_id = ?", Long.class,
                id.value())).isBetween(3L * 24 * 6 - 2, 3L * 24 * 6);

        // 7 and 30 days: coarse rows, each sample counted once, the spike and the outage still there
        for (Duration span : List.of(Duration.ofDays(7), Duration.ofDays(30))) {
            SnapshotHistory.HistoryResult result = history.range(id, NOW.minus(span), NOW, 1000);
            assertThat(result.samples()).as(span.toString()).isEqualTo(samples.size());
            assertThat(result.points()).hasSizeLessThanOrEqualTo(1000);
            assertThat(result.points()).extracting(p -> p.getLong(Metric.USED_MEMORY_RSS)).contains(9_000_000L);
            assertThat(result.points()).anyMatch(p -> !p.isOk());
            assertThat(result.points()).isSortedAccordingTo((a, b) -> a.timestamp().compareTo(b.timestamp()));
        }
        assertThat(retention.runAt(NOW).rawDropped()).isZero();
    }

    @Test
    void aYoungInstanceWhoseFirstMinutesAreRolledUpStillAnswersEachSampleOnceInOrder() {
        InstanceId id = instances.add("young history", "redis://127.0.0.1:6").id();
        // ten minutes of history starting mid-minute, all still raw, the finished minutes also rolled up
        Instant start = NOW.minus(Duration.ofMinutes(10)).plusSeconds(17);
        List<Snapshot> samples = new ArrayList<>();
        for (Instant at = start; at.isBefore(NOW); at = at.plusSeconds(5)) {
            samples.add(sample(id, at, 1000 + samples.size(), 2000));
        }
        repository.saveAll(samples);
        retention.runAt(NOW);
        assertThat(rollups.rolledUntil(id)).isPresent();

        SnapshotHistory.HistoryResult hour = history.range(id, NOW.minus(Duration.ofHours(1)), NOW, 1000);

        assertThat(hour.downsampled()).isFalse();
        assertThat(hour.samples()).isEqualTo(samples.size());
        assertThat(hour.points()).extracting(Snapshot::timestamp)
                .containsExactlyElementsOf(samples.stream().map(Snapshot::timestamp).toList());
    }

    private static Snapshot sample(InstanceId id, Instant at, long used, long rss) {
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        values.put(Metric.USED_MEMORY, used);
        values.put(Metric.USED_MEMORY_RSS, rss);
        values.put(Metric.MEM_FRAGMENTATION_RATIO, (double) rss / used);
        values.put(Metric.MAXMEMORY_POLICY, "noeviction");
        return Snapshot.ok(id, at, values);
    }

    private Set<String> columns(String table) {
        // H2 names tables and columns in upper case, PostgreSQL in lower case
        return jdbc.queryForList("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(TABLE_NAME) = ?",
                String.class, table).stream().map(String::toUpperCase).collect(Collectors.toSet());
    }
}
