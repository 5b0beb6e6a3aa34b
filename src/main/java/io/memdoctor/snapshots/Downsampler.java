package io.memdoctor.snapshots;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.memdoctor.instances.InstanceId;

/**
 * Reduces a time series to at most three points per time bucket without hiding spikes: the first point of a
 * bucket carries every field's minimum, the last its maximum, so a 5-second RSS spike in a 7-day window still shows
 * as the bucket's maximum. A bucket that holds a failed sample also keeps one failed point, so outages stay visible
 * gaps. Pure logic; feed it raw samples and rollups in any order.
 */
public final class Downsampler {

    private final InstanceId instanceId;
    private final long fromMillis;
    private final long bucketMillis;
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();

    /**
     * @param instanceId the instance the points belong to
     * @param from start of the first bucket
     * @param bucketMillis width of a bucket, at least 1
     */
    public Downsampler(InstanceId instanceId, Instant from, long bucketMillis) {
        if (bucketMillis < 1) {
            throw new IllegalArgumentException("bucket width must be positive");
        }
        this.instanceId = instanceId;
        this.fromMillis = from.toEpochMilli();
        this.bucketMillis = bucketMillis;
    }

    /** Adds one raw sample. */
    public void add(Snapshot snapshot) {
        Bucket bucket = bucketOf(snapshot.timestamp());
        if (snapshot.isOk()) {
            bucket.observe(snapshot.timestamp(), snapshot, snapshot);
        }
        else {
            bucket.fail(snapshot);
        }
    }

    /**
     * Adds one rollup row (a minute, 10 minutes or an hour): its minima and maxima count as observations at its first
     * and last sample. A row that starts before {@code from} (the one that contains it) joins the first bucket.
     */
    public void add(MinuteRollup rollup) {
        Bucket bucket = bucketOf(rollup.minuteStart().isBefore(Instant.ofEpochMilli(fromMillis))
                ? Instant.ofEpochMilli(fromMillis) : rollup.minuteStart());
        if (rollup.okSamples() > 0) {
            bucket.observe(rollup.firstAt(), rollup.min(), rollup.max());
            bucket.observe(rollup.lastAt(), rollup.min(), rollup.max());
        }
        if (rollup.hasFailures()) {
            Instant middle = rollup.firstAt().plusMillis((rollup.lastAt().toEpochMilli() - rollup.firstAt().toEpochMilli()) / 2);
            bucket.fail(Snapshot.failed(instanceId, middle, SnapshotStatus.UNREACHABLE,
                    (rollup.samples() - rollup.okSamples()) + " of " + rollup.samples() + " samples failed in this minute"));
        }
    }

    /** The reduced series, in time order. */
    public List<Snapshot> result() {
        List<Snapshot> out = new ArrayList<>(buckets.size() * 2);
        for (Bucket bucket : buckets.values()) {
            bucket.emit(out);
        }
        return out;
    }

    private Bucket bucketOf(Instant at) {
        long index = Math.floorDiv(at.toEpochMilli() - fromMillis, bucketMillis);
        return buckets.computeIfAbsent(index, i -> new Bucket());
    }

    private final class Bucket {

        private final Map<Metric, Object> min = new EnumMap<>(Metric.class);
        private final Map<Metric, Object> max = new EnumMap<>(Metric.class);
        private Instant first;
        private Instant last;
        private Snapshot failure;

        void observe(Instant at, Snapshot low, Snapshot high) {
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
            for (Metric metric : Metric.values()) {
                if (metric.numeric()) {
                    merge(min, metric, low.get(metric), true);
                    merge(max, metric, high.get(metric), false);
                }
                else if (high.get(metric) != null) {
                    min.put(metric, high.get(metric));
                    max.put(metric, high.get(metric));
                }
            }
        }

        void fail(Snapshot failed) {
            if (failure == null || failed.timestamp().isBefore(failure.timestamp())) {
                failure = failed;
            }
        }

        void emit(List<Snapshot> out) {
            List<Snapshot> points = new ArrayList<>(3);
            if (first != null) {
                points.add(Snapshot.ok(instanceId, first, min));
                if (last.isAfter(first)) {
                    points.add(Snapshot.ok(instanceId, last, max));
                }
                else {
                    points.set(0, Snapshot.ok(instanceId, first, max));
                }
            }
            if (failure != null) {
                points.add(failure);
            }
            points.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
            out.addAll(points);
        }

        private static void merge(Map<Metric, Object> into, Metric metric, Object value, boolean keepSmaller) {
            if (!(value instanceof Number number)) {
                return;
            }
            Object current = into.get(metric);
            if (current == null) {
                into.put(metric, value);
                return;
            }
            int cmp = Double.compare(number.doubleValue(), ((Number) current).doubleValue());
            if (keepSmaller ? cmp < 0 : cmp > 0) {
                into.put(metric, value);
            }
        }
    }
}
