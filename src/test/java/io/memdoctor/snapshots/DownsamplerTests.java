package io.memdoctor.snapshots;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DownsamplerTests {

    private static final InstanceId ID = InstanceId.of("cache");
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void aFiveSecondRssSpikeInSevenDaysSurvives() {
        Duration span = Duration.ofDays(7);
        int maxPoints = 1000;
        long bucket = span.toMillis() / (maxPoints / 2);
        Downsampler downsampler = new Downsampler(ID, START, bucket);
        Instant spikeAt = START.plus(Duration.ofDays(3)).plusSeconds(12_345);
        int samples = 0;
        for (Instant at = START; at.isBefore(START.plus(span)); at = at.plusSeconds(1)) {
            boolean spike = !at.isBefore(spikeAt) && at.isBefore(spikeAt.plusSeconds(5));
            downsampler.add(ok(at, 1_000_000L, spike ? 9_000_000L : 1_200_000L));
            samples++;
        }
        List<Snapshot> points = downsampler.result();

        assertThat(samples).isEqualTo(604_800);
        assertThat(points).hasSizeLessThanOrEqualTo(maxPoints);
        assertThat(points).extracting(p -> p.getLong(Metric.USED_MEMORY_RSS)).contains(9_000_000L);
        Snapshot spikePoint = points.stream().filter(p -> p.getLong(Metric.USED_MEMORY_RSS) == 9_000_000L)
                .findFirst().orElseThrow();
        assertThat(Duration.between(spikeAt, spikePoint.timestamp()).abs()).isLessThan(Duration.ofMillis(bucket));
        assertThat(points).extracting(p -> p.getLong(Metric.USED_MEMORY_RSS)).containsOnly(1_200_000L, 9_000_000L);
    }

    @Test
    void keepsEachBucketsMinimumAndMaximumInTimeOrder() {
        Downsampler downsampler = new Downsampler(ID, START, 10_000);
        downsampler.add(ok(START.plusSeconds(1), 500L, 900L));
        downsampler.add(ok(START.plusSeconds(4), 100L, 990L));
        downsampler.add(ok(START.plusSeconds(8), 300L, 950L));
        List<Snapshot> points = downsampler.result();

        assertThat(points).hasSize(2);
        assertThat(points.get(0).timestamp()).isEqualTo(START.plusSeconds(1));
        assertThat(points.get(0).getLong(Metric.USED_MEMORY)).isEqualTo(100L);
        assertThat(points.get(1).timestamp()).isEqualTo(START.plusSeconds(8));
        assertThat(points.get(1).getLong(Metric.USED_MEMORY)).isEqualTo(500L);
        assertThat(points.get(1).getLong(Metric.USED_MEMORY_RSS)).isEqualTo(990L);
    }

    @Test
    void anOutageStaysAGap() {
        Downsampler downsampler = new Downsampler(ID, START, 10_000);
        downsampler.add(ok(START.plusSeconds(1), 500L, 900L));
        downsampler.add(Snapshot.failed(ID, START.plusSeconds(5), SnapshotStatus.UNREACHABLE, "Connection refused"));
        downsampler.add(ok(START.plusSeconds(9), 600L, 900L));
        downsampler.add(Snapshot.failed(ID, START.plusSeconds(15), SnapshotStatus.UNREACHABLE, "Connection refused"));
        List<Snapshot> points = downsampler.result();

        assertThat(points).extracting(Snapshot::status).containsExactly(SnapshotStatus.OK, SnapshotStatus.UNREACHABLE,
                SnapshotStatus.OK, SnapshotStatus.UNREACHABLE);
        assertThat(points.get(1).error()).isEqualTo("Connection refused");
        assertThat(points.get(3).values()).isEmpty();
    }

    @Test
    void rollupsContributeTheirMinimaAndMaxima() {
        Downsampler downsampler = new Downsampler(ID, START, Duration.ofMinutes(10).toMillis());
        for (int minute = 0; minute < 10; minute++) {
            Instant at = START.plus(Duration.ofMinutes(minute));
            long peak = minute == 7 ? 50_000L : 2_000L;
            downsampler.add(new MinuteRollup(at, at, at.plusSeconds(59), 60, minute == 3 ? 55 : 60,
                    ok(at, 1_000L, 1_500L), ok(at.plusSeconds(59), 1_100L, peak)));
        }
        List<Snapshot> points = downsampler.result();

        assertThat(points.stream().filter(Snapshot::isOk)).hasSize(2);
        assertThat(points).extracting(p -> p.getLong(Metric.USED_MEMORY_RSS)).contains(1_500L, 50_000L);
        assertThat(points).filteredOn(p -> !p.isOk()).singleElement()
                .satisfies(gap -> assertThat(gap.error()).contains("5 of 60 samples failed"));
    }

    static Snapshot ok(Instant at, long used, long rss) {
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        values.put(Metric.USED_MEMORY, used);
        values.put(Metric.USED_MEMORY_RSS, rss);
        values.put(Metric.MEM_FRAGMENTATION_RATIO, (double) rss / used);
        values.put(Metric.MAXMEMORY_POLICY, "allkeys-lru");
        return Snapshot.ok(ID, at, values);
    }
}
