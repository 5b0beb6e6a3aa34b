package io.memdoctor.checks;

import java.time.Instant;
import java.util.Optional;

import io.memdoctor.instances.ClientList;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/**
 * Everything the rules judge: the newest successful sample, the settings CONFIG GET gave, the history facts and
 * the newest scan. Pure data, so every rule is testable without Redis.
 *
 * @param latest the newest OK sample, {@code null} when there is none
 * @param settings CONFIG GET's answer, or why there is none
 * @param history facts from the recorded history
 * @param scan the newest scan's summary
 * @param now the time of the evaluation
 * @param clients CLIENT LIST, asked only when buffers are large enough to name their clients
 * @param memoryLimit the memory limit declared for the instance (its container's) in bytes, {@code null} for none
 */
record CheckContext(Snapshot latest, RedisSettings settings, HistoryFacts history,
        Optional<LatestScanSummary.ScanFindings> scan, Instant now, ClientList clients, Long memoryLimit) {

    CheckContext {
        clients = clients == null ? ClientList.unavailable("not asked") : clients;
    }

    CheckContext(Snapshot latest, RedisSettings settings, HistoryFacts history,
            Optional<LatestScanSummary.ScanFindings> scan, Instant now, ClientList clients) {
        this(latest, settings, history, scan, now, clients, null);
    }

    CheckContext(Snapshot latest, RedisSettings settings, HistoryFacts history,
            Optional<LatestScanSummary.ScanFindings> scan, Instant now) {
        this(latest, settings, history, scan, now, null);
    }

    /** What used_memory fills up to: the smaller of maxmemory and the declared limit, else the host's memory. */
    MemoryCeiling ceiling() {
        return MemoryCeiling.of(latest, memoryLimit);
    }

    /** What RSS must fit in before the OOM killer: the declared limit, else the host's memory. */
    MemoryCeiling process() {
        return MemoryCeiling.ofProcess(latest, memoryLimit);
    }

    Long value(Metric metric) {
        return latest.getLong(metric);
    }

    double ratio(Metric metric) {
        Double value = latest.getDouble(metric);
        return value == null ? Double.NaN : value;
    }

    long valueOr(Metric metric, long fallback) {
        Long value = latest.getLong(metric);
        return value == null ? fallback : value;
    }

    String text(Metric metric) {
        return latest.getText(metric);
    }

    /** Share of keys with a TTL, 0..1, or {@code null} without keys. */
    Double ttlShare() {
        Long keys = value(Metric.KEYS);
        Long expires = value(Metric.EXPIRES);
        if (keys == null || expires == null || keys == 0) {
            return null;
        }
        return Math.min(1.0, (double) expires / keys);
    }

    boolean jemalloc() {
        String allocator = text(Metric.MEM_ALLOCATOR);
        return allocator != null && allocator.startsWith("jemalloc");
    }
}
