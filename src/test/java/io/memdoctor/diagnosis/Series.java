package io.memdoctor.diagnosis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/** Builds a sample series, one sample per second: a steady instance that each test bends at chosen seconds. */
public final class Series {

    public static final long MB = 1024L * 1024;
    public static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private Series() {
    }

    /** {@code n} samples; {@code shape} sets the values of sample {@code i}. */
    public static List<Snapshot> of(int n, BiConsumer<Integer, Map<Metric, Object>> shape) {
        List<Snapshot> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<Metric, Object> v = new EnumMap<>(Metric.class);
            v.put(Metric.USED_MEMORY, 200 * MB);
            v.put(Metric.USED_MEMORY_RSS, 215 * MB);
            v.put(Metric.USED_MEMORY_PEAK, 210 * MB);
            v.put(Metric.MEM_FRAGMENTATION_RATIO, 1.07);
            v.put(Metric.ALLOCATOR_FRAG_RATIO, 1.01);
            v.put(Metric.TOTAL_SYSTEM_MEMORY, 16 * 1024 * MB);
            v.put(Metric.MAXMEMORY, 0L);
            v.put(Metric.MAXMEMORY_POLICY, "noeviction");
            v.put(Metric.MEM_ALLOCATOR, "jemalloc-5.3.0");
            v.put(Metric.KEYS, 100_000L);
            v.put(Metric.EXPIRES, 100_000L);
            v.put(Metric.EVICTED_KEYS, 0L);
            v.put(Metric.ERRORSTAT_OOM, 0L);
            v.put(Metric.TOTAL_FORKS, 0L);
            v.put(Metric.RDB_BGSAVE_IN_PROGRESS, 0L);
            v.put(Metric.AOF_REWRITE_IN_PROGRESS, 0L);
            v.put(Metric.RDB_LAST_COW_SIZE, 0L);
            v.put(Metric.CURRENT_COW_PEAK, 0L);
            shape.accept(i, v);
            out.add(Snapshot.ok(InstanceId.of("cache"), START.plusSeconds(i), v));
        }
        return out;
    }

    static Diagnosis diagnose(List<Snapshot> series) {
        return Diagnoser.diagnose(series, START, START.plusSeconds(series.size()), "redis-cli -h 10.0.0.5 -p 6379");
    }

    /** With a memory limit declared for the instance (its container's). */
    static Diagnosis diagnose(List<Snapshot> series, long memoryLimit) {
        return Diagnoser.diagnose(series, START, START.plusSeconds(series.size()), "redis-cli -h 10.0.0.5 -p 6379",
                () -> io.memdoctor.instances.ClientList.unavailable("not asked"), java.time.Duration.ZERO, memoryLimit);
    }
}
