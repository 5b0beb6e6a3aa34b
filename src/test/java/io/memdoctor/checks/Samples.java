package io.memdoctor.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/** Object mother: INFO values of a healthy jemalloc cache, to be bent into each situation. */
final class Samples {

    static final long MB = 1024L * 1024;
    static final long GB = 1024 * MB;
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final InstanceId ID = InstanceId.of("cache");

    private final Map<Metric, Object> values = new EnumMap<>(Metric.class);

    private Samples() {
        set(Metric.USED_MEMORY, 1 * GB);
        set(Metric.USED_MEMORY_RSS, 1100 * MB);
        set(Metric.USED_MEMORY_PEAK, 1100 * MB);
        set(Metric.TOTAL_SYSTEM_MEMORY, 16 * GB);
        set(Metric.MAXMEMORY, 4 * GB);
        set(Metric.MAXMEMORY_POLICY, "allkeys-lru");
        set(Metric.MEM_ALLOCATOR, "jemalloc-5.3.0");
        set(Metric.MEM_FRAGMENTATION_RATIO, 1.07);
        set(Metric.ALLOCATOR_FRAG_RATIO, 1.01);
        set(Metric.ALLOCATOR_FRAG_BYTES, 2 * MB);
        set(Metric.ALLOCATOR_RSS_RATIO, 1.02);
        set(Metric.ALLOCATOR_RSS_BYTES, 3 * MB);
        set(Metric.RSS_OVERHEAD_RATIO, 1.0);
        set(Metric.RSS_OVERHEAD_BYTES, 1 * MB);
        set(Metric.MEM_CLIENTS_NORMAL, 200 * 1024L);
        set(Metric.MEM_CLIENTS_SLAVES, 0L);
        set(Metric.MEM_NOT_COUNTED_FOR_EVICT, 0L);
        set(Metric.CONNECTED_CLIENTS, 10L);
        set(Metric.NUMBER_OF_CACHED_SCRIPTS, 3L);
        set(Metric.KEYS, 100_000L);
        set(Metric.EXPIRES, 95_000L);
        set(Metric.ERRORSTAT_OOM, 0L);
        set(Metric.ACTIVE_DEFRAG_RUNNING, 0L);
    }

    static Samples healthy() {
        return new Samples();
    }

    Samples set(Metric metric, Object value) {
        values.put(metric, value);
        return this;
    }

    Samples without(Metric metric) {
        values.remove(metric);
        return this;
    }

    Snapshot at(Instant when) {
        return Snapshot.ok(ID, when, values);
    }

    Snapshot snapshot() {
        return at(NOW);
    }

    /** Settings as CONFIG GET gives them on a default Redis 7. */
    static RedisSettings defaultSettings() {
        return RedisSettings.of(Map.of("activedefrag", "no", "active-defrag-ignore-bytes", Long.toString(100 * MB),
                "active-defrag-threshold-lower", "10", "active-defrag-threshold-upper", "100", "save", "", "appendonly", "no"));
    }

    CheckContext context() {
        return context(HistoryFacts.NONE);
    }

    CheckContext context(HistoryFacts history) {
        return new CheckContext(snapshot(), defaultSettings(), history, Optional.empty(), NOW);
    }

    /** With a memory limit declared for the instance (its container's). */
    CheckContext limited(long memoryLimit, HistoryFacts history) {
        return new CheckContext(snapshot(), defaultSettings(), history, Optional.empty(), NOW, null, memoryLimit);
    }

    CheckContext limited(long memoryLimit) {
        return limited(memoryLimit, HistoryFacts.NONE);
    }

    /** used_memory growing by {@code perSecond} for {@code span}, one sample every 10 s, ending at NOW. */
    static List<Snapshot> growing(long start, long perSecond, Duration span) {
        List<Snapshot> out = new ArrayList<>();
        Instant first = NOW.minus(span);
        for (long s = 0; s <= span.toSeconds(); s += 10) {
            out.add(healthy().set(Metric.USED_MEMORY, start + perSecond * s).at(first.plusSeconds(s)));
        }
        return out;
    }
}
