package io.memdoctor.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.memdoctor.snapshots.GrowthTrend;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/**
 * What the recorded history adds to the newest sample: the largest copy-on-write seen, refused writes, the growth
 * rate and the highest share of keys with a TTL. Pure: built from snapshots, no store, no Redis.
 *
 * @param window how far back {@code largestCow} and {@code oomErrors} look
 * @param largestCow the largest copy-on-write any sample reported ({@code rdb_last_cow_size},
 *     {@code aof_last_cow_size}, {@code current_cow_peak}), 0 when no fork was ever seen
 * @param largestCowAt when that was reported, {@code null} when none
 * @param oomErrors how much {@code errorstat_OOM} grew over the window
 * @param usedTrend the growth of {@code used_memory} over the recent history, empty with too few samples
 * @param highestTtlShare the highest share of keys with a TTL over the recent history (0..1), {@code null} when
 *     there were too few keys to say
 * @param highestTtlShareAt when that share was seen
 */
record HistoryFacts(Duration window, long largestCow, Instant largestCowAt, long oomErrors,
        Optional<GrowthTrend> usedTrend, Double highestTtlShare, Instant highestTtlShareAt) {

    /** Fewer keys than this make the TTL share a matter of a handful of keys. */
    static final long MIN_KEYS_FOR_SHARE = 100;

    static final HistoryFacts NONE = new HistoryFacts(Duration.ZERO, 0, null, 0, Optional.empty(), null, null);

    /**
     * @param window the long window's length
     * @param longWindow samples of the long window (a day), for copy-on-write and OOM errors
     * @param recent samples of the recent window (an hour), for the growth rate and the TTL share
     */
    static HistoryFacts of(Duration window, List<Snapshot> longWindow, List<Snapshot> recent) {
        long cow = 0;
        Instant cowAt = null;
        long oom = 0;
        Long previousOom = null;
        for (Snapshot snapshot : longWindow) {
            if (!snapshot.isOk()) {
                continue;
            }
            for (Metric metric : List.of(Metric.RDB_LAST_COW_SIZE, Metric.AOF_LAST_COW_SIZE, Metric.CURRENT_COW_PEAK,
                    Metric.CURRENT_COW_SIZE)) {
                Long value = snapshot.getLong(metric);
                if (value != null && value > cow) {
                    cow = value;
                    cowAt = snapshot.timestamp();
                }
            }
            Long errors = snapshot.getLong(Metric.ERRORSTAT_OOM);
            if (errors != null) {
                // a restart resets the counter: what it shows then is new errors
                if (previousOom != null) {
                    oom += errors >= previousOom ? errors - previousOom : errors;
                }
                previousOom = errors;
            }
        }
        Double share = null;
        Instant shareAt = null;
        for (Snapshot snapshot : recent) {
            Long keys = snapshot.isOk() ? snapshot.getLong(Metric.KEYS) : null;
            Long expires = snapshot.getLong(Metric.EXPIRES);
            if (keys == null || expires == null || keys < MIN_KEYS_FOR_SHARE) {
                continue;
            }
            double value = Math.min(1.0, (double) expires / keys);
            if (share == null || value > share) {
                share = value;
                shareAt = snapshot.timestamp();
            }
        }
        return new HistoryFacts(window, cow, cowAt, oom, GrowthTrend.fit(recent, Metric.USED_MEMORY), share, shareAt);
    }
}
