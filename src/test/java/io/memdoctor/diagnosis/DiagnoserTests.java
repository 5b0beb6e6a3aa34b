package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotStatus;
import org.junit.jupiter.api.Test;

import static io.memdoctor.diagnosis.Series.MB;
import static io.memdoctor.diagnosis.Series.START;
import static io.memdoctor.diagnosis.Series.diagnose;
import static org.assertj.core.api.Assertions.assertThat;

/** The verdict rules on synthetic histories, including the look-alikes the field guide warns about. */
class DiagnoserTests {

    @Test
    void tooFewSamplesIsInsufficientData() {
        List<Snapshot> series = new ArrayList<>(Series.of(5, (i, v) -> { }));
        series.add(Snapshot.failed(InstanceId.of("cache"), START.plusSeconds(9), SnapshotStatus.UNREACHABLE, "refused"));
        Diagnosis diagnosis = diagnose(series);
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(diagnosis.evidence()).singleElement().asString().contains("5 successful of 6 samples");
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("redis-cli -h 10.0.0.5 -p 6379 INFO memory"));
    }

    @Test
    void aSteadyInstanceIsStable() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> v.put(Metric.USED_MEMORY, 200 * MB + (i % 3) * MB)));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.STABLE);
        assertThat(diagnosis.samples()).isEqualTo(60);
    }

    @Test
    void usedMemoryClimbingIsDataGrowthAndSaysWhereTheGrowthIs() {
        // one list growing: key count flat
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.USED_MEMORY, 200 * MB + i * MB);
            v.put(Metric.USED_MEMORY_RSS, 215 * MB + i * MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.DATA_GROWTH);
        assertThat(diagnosis.summary()).contains("climbed by 59.0 MB").contains("existing keys grow");
        assertThat(diagnosis.cause()).isEqualTo("keys-grow");
        assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("used_memory 200 MB (2026-03-01 12:00:00 UTC) → 259 MB"));
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("--bigkeys"))
                .anyMatch(s -> s.contains("CONFIG SET maxmemory"));
    }

    @Test
    void keysLosingTheirTtlAreNamedAsTheCauseOfGrowth() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            long extra = Math.max(0, i - 20) * 5_000L;
            v.put(Metric.KEYS, 100_000L + extra);
            v.put(Metric.USED_MEMORY, 200 * MB + extra * 1024);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.DATA_GROWTH);
        assertThat(diagnosis.summary()).contains("keys lost their TTL: new keys arrive without one");
        assertThat(diagnosis.cause()).isEqualTo("ttl-lost");
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("from 100% to 34%"));
    }

    @Test
    void growthThatFellBackIsNotDataGrowth() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> v.put(Metric.USED_MEMORY,
                200 * MB + (i < 40 ? i : 80 - i * 1L) * 2 * MB)));
        assertThat(diagnosis.verdict()).isNotEqualTo(Verdict.DATA_GROWTH);
    }

    @Test
    void rssRisingWhileUsedMemoryIsFlatIsFragmentation() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.USED_MEMORY_RSS, 215 * MB + i * 3 * MB);
            v.put(Metric.MEM_FRAGMENTATION_RATIO, (215.0 + i * 3) / 200);
            v.put(Metric.ALLOCATOR_FRAG_RATIO, 1.6);
            v.put(Metric.ALLOCATOR_FRAG_BYTES, 150 * MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.FRAGMENTATION);
        assertThat(diagnosis.summary()).contains("used_memory stayed at 200 MB").contains("RSS rose by 177 MB");
        assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("allocator_frag_ratio 1.60"))
                .anyMatch(e -> e.contains("No BGSAVE or AOF rewrite"));
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("CONFIG SET activedefrag yes"));
    }

    @Test
    void usedMemoryFallingWhileRssStaysIsFragmentation() {
        Diagnosis diagnosis = diagnose(Series.of(30, (i, v) -> {
            long used = i < 10 ? 200 * MB : 45 * MB;
            v.put(Metric.USED_MEMORY, used);
            v.put(Metric.MEM_FRAGMENTATION_RATIO, 215.0 * MB / used);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.FRAGMENTATION);
        assertThat(diagnosis.summary()).contains("fell");
    }

    @Test
    void aSmallCachesHighRatioFromFixedRssIsNotFragmentation() {
        // seen on a healthy 35 MB cache: ratio 1.51 with 18 MB over, but only 5 + 4.6 MB of it in the allocator
        Diagnosis diagnosis = diagnose(Series.of(40, (i, v) -> {
            v.put(Metric.USED_MEMORY, 35 * MB);
            v.put(Metric.USED_MEMORY_RSS, 53 * MB);
            v.put(Metric.MEM_FRAGMENTATION_RATIO, 1.51);
            v.put(Metric.ALLOCATOR_FRAG_BYTES, 5 * MB);
            v.put(Metric.ALLOCATOR_RSS_BYTES, 4 * MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.STABLE);
    }

    @Test
    void aBgsaveThatCopiedALotWithFlatUsedMemoryIsCopyOnWrite() {
        Diagnosis diagnosis = diagnose(Series.of(40, (i, v) -> {
            boolean running = i >= 20 && i < 25;
            v.put(Metric.RDB_BGSAVE_IN_PROGRESS, running ? 1L : 0L);
            v.put(Metric.TOTAL_FORKS, i >= 20 ? 1L : 0L);
            v.put(Metric.CURRENT_COW_PEAK, running ? (i - 19) * 20 * MB : 0L);
            v.put(Metric.RDB_LAST_COW_SIZE, i >= 25 ? 130 * MB : 0L);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.COPY_ON_WRITE);
        assertThat(diagnosis.summary()).contains("BGSAVE at 2026-03-01 12:00:19 UTC copied 130 MB (65% of the data)");
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("INFO persistence"))
                .anyMatch(s -> s.contains("CONFIG SET save"));
    }

    @Test
    void aForkShorterThanTheSamplingIntervalIsSeenThroughTotalForks() {
        Diagnosis diagnosis = diagnose(Series.of(40, (i, v) -> {
            v.put(Metric.TOTAL_FORKS, i >= 20 ? 1L : 0L);
            v.put(Metric.RDB_LAST_COW_SIZE, i >= 20 ? 120 * MB : 0L);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.COPY_ON_WRITE);
    }

    @Test
    void anOldForksCopyOnWriteFigureIsNotANewFork() {
        Diagnosis diagnosis = diagnose(Series.of(40, (i, v) -> {
            v.put(Metric.TOTAL_FORKS, 3L);
            v.put(Metric.RDB_LAST_COW_SIZE, 150 * MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.STABLE);
    }

    @Test
    void aSmallForkDoesNotHideFragmentation() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.TOTAL_FORKS, i >= 30 ? 1L : 0L);
            v.put(Metric.RDB_LAST_COW_SIZE, i >= 30 ? 2 * MB : 0L);
            v.put(Metric.USED_MEMORY_RSS, 215 * MB + i * 3 * MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.FRAGMENTATION);
        assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("too little to explain it"));
    }

    @Test
    void growthDuringABgsaveIsStillDataGrowth() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.USED_MEMORY, 200 * MB + i * 2 * MB);
            v.put(Metric.RDB_BGSAVE_IN_PROGRESS, i >= 20 && i < 30 ? 1L : 0L);
            v.put(Metric.TOTAL_FORKS, i >= 20 ? 1L : 0L);
            v.put(Metric.RDB_LAST_COW_SIZE, i >= 30 ? 100 * MB : 0L);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.DATA_GROWTH);
    }

    @Test
    void refusedWritesAtMaxmemoryAreMemoryPressure() {
        Diagnosis diagnosis = diagnose(Series.of(30, (i, v) -> {
            v.put(Metric.MAXMEMORY, 64 * MB);
            v.put(Metric.USED_MEMORY, Math.min(64 * MB, 40 * MB + i * 2 * MB));
            v.put(Metric.ERRORSTAT_OOM, Math.max(0, i - 12) * 100L);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.MEMORY_PRESSURE);
        assertThat(diagnosis.summary()).contains("refused 1,700 write(s) with OOM");
        assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("from 2026-03-01 12:00:13 UTC"));
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("CONFIG SET maxmemory-policy allkeys-lru"));
    }

    @Test
    void evictionsAreMemoryPressureToo() {
        Diagnosis diagnosis = diagnose(Series.of(30, (i, v) -> {
            v.put(Metric.MAXMEMORY, 256 * MB);
            v.put(Metric.MAXMEMORY_POLICY, "allkeys-lru");
            v.put(Metric.EVICTED_KEYS, i * 10L);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.MEMORY_PRESSURE);
        assertThat(diagnosis.summary()).contains("allkeys-lru evicted 290 key(s)");
    }

    @Test
    void aCounterResetByARestartIsNotPressure() {
        Diagnosis diagnosis = diagnose(Series.of(30, (i, v) -> v.put(Metric.ERRORSTAT_OOM, i < 15 ? 500L : 0L)));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.STABLE);
    }
}
