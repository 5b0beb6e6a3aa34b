package io.memdoctor.snapshots;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;

/**
 * Seven days of 1-second samples for the benchmarks that need a long history (a daily saw-tooth of used memory, a
 * BGSAVE every hour), stored and rolled up per minute as the dashboard does.
 */
final class WeekOfSamples {

    private WeekOfSamples() {
    }

    /** Stores a sample per second of the 7 days before {@code now} and rolls them up; returns how many. */
    static int seed(SnapshotRepository repository, SnapshotRetention retention, InstanceId id, Instant now) {
        List<Snapshot> batch = new ArrayList<>(10_000);
        int rows = 0;
        for (Instant at = now.minus(Duration.ofDays(7)); at.isBefore(now); at = at.plusSeconds(1)) {
            Map<Metric, Object> values = new EnumMap<>(Metric.class);
            long used = 2_000_000_000L + (rows % 86_400) * 5_000L;
            values.put(Metric.USED_MEMORY, used);
            values.put(Metric.USED_MEMORY_RSS, used + 300_000_000L);
            values.put(Metric.USED_MEMORY_DATASET, used - 80_000_000L);
            values.put(Metric.MAXMEMORY, 4_000_000_000L);
            values.put(Metric.MEM_FRAGMENTATION_RATIO, 1.15);
            values.put(Metric.ALLOCATOR_FRAG_RATIO, 1.02);
            values.put(Metric.EVICTED_KEYS, rows / 20L);
            values.put(Metric.EXPIRED_KEYS, rows / 2L);
            values.put(Metric.TOTAL_FORKS, rows / 3600L);
            values.put(Metric.RDB_BGSAVE_IN_PROGRESS, rows % 3600 < 3 ? 1L : 0L);
            batch.add(Snapshot.ok(id, at, values));
            rows++;
            if (batch.size() == 10_000) {
                repository.saveAll(batch);
                batch.clear();
            }
        }
        repository.saveAll(batch);
        retention.runAt(now.plusSeconds(60));
        return rows;
    }
}
