package io.memdoctor.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.config.SqlDialect;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.RollupRepository;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.BothStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The forecast's points read from H2 and PostgreSQL with the real migrations: raw samples of a young instance,
 * minute averages then raw samples once minutes are rolled up, at most 120 bucket medians over a long window.
 */
@BothStores
class UsedMemorySeriesTests {

    /** Growth of the test instances: 1,000 bytes a second from 1 GB. */
    private static final long BASE = 1L << 30;
    /** Not a whole millisecond: the store keeps epoch milliseconds. */
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00.000700Z");

    @Parameter
    BothStores.Store store;

    private SnapshotRepository snapshots;
    private RollupRepository rollups;
    private UsedMemorySeries series;

    @BeforeEach
    void setUp() {
        SqlDialect dialect = SqlDialect.of(store.dataSource());
        snapshots = new SnapshotRepository(store.jdbc(), dialect);
        rollups = new RollupRepository(store.jdbc(), dialect);
        series = new UsedMemorySeries(store.jdbc(), rollups);
    }

    /* one window, as the forecast reads it (the rolled-up minutes' end read once per forecast) */
    private List<TheilSen.Point> read(InstanceId id, Duration window, Instant now) {
        return series.read(id, window, now, series.rolledUntil(id));
    }

    @Test
    void aYoungInstanceIsReadFromItsRawSamplesInTimeOrder() {
        InstanceId id = InstanceId.of("young");
        Instant start = NOW.minus(Duration.ofMinutes(10));
        List<Snapshot> samples = new ArrayList<>();
        for (int s = 600; s >= -60; s -= 10) {
            samples.add(sample(id, NOW.minusSeconds(s), start));
        }
        samples.add(Snapshot.failed(id, NOW.minusSeconds(5), SnapshotStatus.UNREACHABLE, "connection refused"));
        samples.add(sample(InstanceId.of("young-other"), NOW.minusSeconds(3), start.minusSeconds(1_000_000)));
        snapshots.saveAll(samples);

        List<TheilSen.Point> points = read(id, Duration.ofMinutes(10), NOW);
        assertThat(points).as("from the window's start (inclusive) to now; no failed, later or other sample")
                .hasSize(61);
        assertThat(points.get(0).t()).isEqualTo(-600.0);
        assertThat(points.get(0).value()).isEqualTo(BASE);
        assertThat(points.get(60).t()).isEqualTo(0.0);
        assertThat(points.get(60).value()).isEqualTo(BASE + 600_000);
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.get(i).t() - points.get(i - 1).t()).isEqualTo(10.0);
            assertThat(points.get(i).value() - points.get(i - 1).value()).isEqualTo(10_000.0);
        }
    }

    @Test
    void rolledMinutesAreReadAsTheirAveragesThenTheRawSamplesAfterThem() {
        InstanceId id = InstanceId.of("rolled");
        Instant start = NOW.minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        List<Snapshot> samples = new ArrayList<>();
        for (Instant at = start; !at.isAfter(NOW); at = at.plusSeconds(30)) {
            samples.add(sample(id, at, start));
        }
        snapshots.saveAll(samples);
        Instant rolled = start.plus(Duration.ofMinutes(40));
        rollups.rollUp(id, start, rolled);
        assertThat(rollups.rolledUntil(id)).contains(rolled);

        List<TheilSen.Point> points = read(id, Duration.between(start, NOW), NOW);
        assertThat(points).as("40 minutes, then the raw samples from the 40th minute on").hasSize(40 + 41);
        double nowSeconds = NOW.toEpochMilli() / 1000.0;
        for (int m = 0; m < 40; m++) {
            TheilSen.Point minute = points.get(m);
            double middle = start.plusSeconds(m * 60L + 30).toEpochMilli() / 1000.0;
            assertThat(minute.t()).as("a minute stands at its middle").isCloseTo(middle - nowSeconds, within(1e-6));
            assertThat(minute.value()).as("the average of :00 and :30").isEqualTo(BASE + 1000.0 * (m * 60 + 15));
        }
        TheilSen.Point firstRaw = points.get(40);
        assertThat(firstRaw.t()).isCloseTo(rolled.toEpochMilli() / 1000.0 - nowSeconds, within(1e-6));
        assertThat(firstRaw.value()).isEqualTo(BASE + 1000.0 * 2400);
        assertThat(points).extracting(TheilSen.Point::t).isSorted();
    }

    @Test
    void aLongWindowIsReadAsAtMost120MediansThatASpikeDoesNotMove() {
        InstanceId id = InstanceId.of("long");
        Instant start = NOW.minus(Duration.ofHours(6));
        List<Snapshot> samples = new ArrayList<>();
        for (Instant at = start; !at.isAfter(NOW); at = at.plusSeconds(10)) {
            samples.add(sample(id, at, start));
        }
        samples.set(1000, Snapshot.ok(id, samples.get(1000).timestamp(), Map.of(Metric.USED_MEMORY, Long.MAX_VALUE)));
        snapshots.saveAll(samples);

        List<TheilSen.Point> points = read(id, Duration.ofHours(6), NOW);
        assertThat(points).hasSize(UsedMemorySeries.MAX_POINTS);
        assertThat(points).extracting(TheilSen.Point::t).isSorted();
        double slope = (points.get(119).value() - points.get(0).value()) / (points.get(119).t() - points.get(0).t());
        assertThat(slope).as("1,000 bytes a second").isCloseTo(1000.0, within(1.0));
        assertThat(points).allSatisfy(p -> assertThat(p.value()).isLessThan(BASE + 6 * 3600 * 1000.0 + 1));
    }

    private static Snapshot sample(InstanceId id, Instant at, Instant start) {
        long used = BASE + 1000 * Duration.between(start, at).toSeconds();
        return Snapshot.ok(id, at, Map.of(Metric.USED_MEMORY, used));
    }
}
