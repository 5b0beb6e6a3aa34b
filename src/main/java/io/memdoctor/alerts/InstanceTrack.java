package io.memdoctor.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import io.memdoctor.checks.LatestScanSummary;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/** What the engine remembers of one instance between samples, so no rule reads the history on each sample. */
final class InstanceTrack {

    private static final Duration TTL_HISTORY = Duration.ofHours(1);

    Snapshot latest;
    Snapshot lastOk;
    Instant failingSince;
    Instant oomGrewAt;
    Instant evictionsGrewAt;
    /** One share per minute at most (the minute's highest), for the last hour. */
    private final Deque<Instant> ttlTimes = new ArrayDeque<>();
    private final Deque<Double> ttlShares = new ArrayDeque<>();
    Double ttlShare;
    Instant scanReadAt;
    LatestScanSummary.ScanFindings scan;

    void update(Snapshot snapshot) {
        latest = snapshot;
        if (!snapshot.isOk()) {
            if (failingSince == null) {
                failingSince = snapshot.timestamp();
            }
            return;
        }
        failingSince = null;
        if (lastOk != null) {
            if (grew(lastOk, snapshot, Metric.ERRORSTAT_OOM)) {
                oomGrewAt = snapshot.timestamp();
            }
            if (grew(lastOk, snapshot, Metric.EVICTED_KEYS)) {
                evictionsGrewAt = snapshot.timestamp();
            }
        }
        else if (positive(snapshot, Metric.ERRORSTAT_OOM) && snapshot.getLong(Metric.UPTIME_IN_SECONDS) != null
                && snapshot.getLong(Metric.UPTIME_IN_SECONDS) < 600) {
            // a fresh server that already refuses writes: no earlier sample to compare with
            oomGrewAt = snapshot.timestamp();
        }
        lastOk = snapshot;
        Long keys = snapshot.getLong(Metric.KEYS);
        Long expires = snapshot.getLong(Metric.EXPIRES);
        ttlShare = keys == null || expires == null || keys == 0 ? null : expires / (double) keys;
        if (ttlShare != null) {
            Instant minute = snapshot.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            if (!ttlTimes.isEmpty() && ttlTimes.peekLast().equals(minute)) {
                double last = ttlShares.pollLast();
                ttlShares.addLast(Math.max(last, ttlShare));
            }
            else {
                ttlTimes.addLast(minute);
                ttlShares.addLast(ttlShare);
            }
            while (!ttlTimes.isEmpty() && ttlTimes.peekFirst().isBefore(snapshot.timestamp().minus(TTL_HISTORY))) {
                ttlTimes.pollFirst();
                ttlShares.pollFirst();
            }
        }
    }

    Double ttlShareHourMax() {
        return ttlShares.stream().max(Double::compare).orElse(null);
    }

    Duration downFor(Instant now) {
        if (failingSince == null || !now.isAfter(failingSince)) {
            return failingSince == null ? Duration.ZERO : Duration.ofMillis(1);
        }
        return Duration.between(failingSince, now);
    }

    private static boolean grew(Snapshot before, Snapshot after, Metric counter) {
        Long a = before.getLong(counter);
        Long b = after.getLong(counter);
        // a counter that went down means a restart (or CONFIG RESETSTAT): growth from 0 then
        return b != null && b > 0 && (a == null || b > a || b < a);
    }

    private static boolean positive(Snapshot snapshot, Metric metric) {
        Long value = snapshot.getLong(metric);
        return value != null && value > 0;
    }
}
