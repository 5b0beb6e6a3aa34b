package io.memdoctor.diagnosis;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.memdoctor.snapshots.GrowthTrend;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/**
 * What the samples show, computed once for the rules and the narrators: trends, counters, forks, each overhead
 * part's movement and the headroom left.
 *
 * <p>Trends and first/last values read the samples since the last restart (uptime went down), so a restart's
 * empty-then-refilled memory is not taken for growth; counters read the whole range, a reset counting from zero.
 */
final class Signals {

    static final long FLOOR = 10L * 1024 * 1024;
    static final double RELATIVE = 0.05;

    final List<Snapshot> all;
    final List<Snapshot> ok;
    final String cli;
    final Snapshot first;
    final Snapshot last;
    final Snapshot usedTop;
    final GrowthTrend used;
    final GrowthTrend dataset;
    final long significant;
    final Counter oom;
    final Counter evicted;
    final List<ForkActivity.Fork> forks;
    final int restarts;
    final int gaps;
    /** What used_memory fills up to: maxmemory, the declared memory limit (the smaller), else the host's memory. */
    final MemoryCeiling ceiling;
    /** What RSS must fit in before the OOM killer: the declared memory limit, else the host's memory. */
    final MemoryCeiling process;

    Signals(List<Snapshot> points, String cli) {
        this(points, cli, null);
    }

    /** @param memoryLimit the memory limit declared for the instance (its container's), {@code null} for none */
    Signals(List<Snapshot> points, String cli, Long memoryLimit) {
        this.all = points.stream().filter(s -> s.isOk() && s.getLong(Metric.USED_MEMORY) != null).toList();
        this.cli = cli;
        int restart = lastRestart(all);
        this.restarts = countRestarts(all);
        this.ok = all.size() - restart >= Diagnoser.MIN_SAMPLES ? all.subList(restart, all.size()) : all;
        this.first = ok.get(0);
        this.last = ok.get(ok.size() - 1);
        this.usedTop = ok.stream().max(Comparator.comparingLong(s -> v(s, Metric.USED_MEMORY))).orElseThrow();
        this.used = GrowthTrend.fit(ok, Metric.USED_MEMORY).orElseThrow();
        this.dataset = GrowthTrend.fit(ok, Signals::dataset).orElse(used);
        this.significant = Math.max(FLOOR, (long) (RELATIVE * v(first, Metric.USED_MEMORY)));
        this.oom = Counter.of(all, Metric.ERRORSTAT_OOM);
        this.evicted = Counter.of(all, Metric.EVICTED_KEYS);
        this.forks = ForkActivity.find(ok);
        this.gaps = (int) points.stream().filter(s -> !s.isOk()).count();
        this.ceiling = MemoryCeiling.of(last, memoryLimit);
        this.process = MemoryCeiling.ofProcess(last, memoryLimit);
    }

    /**
     * used_memory_dataset, without the Lua VM where the server counts it there (Redis 7.4+: used_memory includes
     * used_memory_vm_eval, outside used_memory_overhead): loaded scripts are the script cache's, not data growth.
     */
    static Double dataset(Snapshot s) {
        Double dataset = s.getDouble(Metric.USED_MEMORY_DATASET);
        Long vm = s.getLong(Metric.USED_MEMORY_VM_EVAL);
        if (dataset == null || vm == null || !UpgradeNarrator.countsLua(s)) {
            return dataset;
        }
        return dataset - vm;
    }

    long usedFirst() {
        return v(first, Metric.USED_MEMORY);
    }

    long usedLast() {
        return v(last, Metric.USED_MEMORY);
    }

    long usedPeak() {
        return v(usedTop, Metric.USED_MEMORY);
    }

    long rssFirst() {
        return v(first, Metric.USED_MEMORY_RSS);
    }

    long rssLast() {
        return v(last, Metric.USED_MEMORY_RSS);
    }

    /** One part of used_memory over the range: where it started, its highest, where it ended. */
    Part part(Metric... metrics) {
        long start = sum(first, metrics);
        long peak = start;
        Snapshot peakAt = first;
        for (Snapshot s : ok) {
            long value = sum(s, metrics);
            if (value > peak) {
                peak = value;
                peakAt = s;
            }
        }
        boolean reported = ok.stream().anyMatch(s -> s.getLong(metrics[0]) != null);
        return new Part(reported, start, peak, sum(last, metrics), peakAt);
    }

    Optional<ForkActivity.Fork> biggestFork() {
        return forks.stream().max(Comparator.comparingLong(ForkActivity.Fork::cow));
    }

    /** The ceiling's bytes ({@link #ceiling}); 0 when none is known. */
    long limit() {
        return ceiling.bytes();
    }

    String limitName() {
        return ceiling.label();
    }

    /** Share of the limit still free at the range's highest used_memory, 0..1; 1 when no limit is known. */
    double headroom() {
        long limit = limit();
        return limit <= 0 ? 1 : Math.max(0, (double) (limit - usedPeak()) / limit);
    }

    Double ttlShare(Snapshot s) {
        Long keys = s.getLong(Metric.KEYS);
        Long expires = s.getLong(Metric.EXPIRES);
        return keys == null || expires == null || keys == 0 ? null : Math.min(1.0, (double) expires / keys);
    }

    static long v(Snapshot s, Metric metric) {
        Long value = s.getLong(metric);
        return value == null ? 0 : value;
    }

    private static long sum(Snapshot s, Metric... metrics) {
        long total = 0;
        for (Metric metric : metrics) {
            total += v(s, metric);
        }
        return total;
    }

    private static int lastRestart(List<Snapshot> ok) {
        int at = 0;
        for (int i = 1; i < ok.size(); i++) {
            if (restarted(ok.get(i - 1), ok.get(i))) {
                at = i;
            }
        }
        return at;
    }

    private static int countRestarts(List<Snapshot> ok) {
        int count = 0;
        for (int i = 1; i < ok.size(); i++) {
            count += restarted(ok.get(i - 1), ok.get(i)) ? 1 : 0;
        }
        return count;
    }

    private static boolean restarted(Snapshot before, Snapshot after) {
        Long up = before.getLong(Metric.UPTIME_IN_SECONDS);
        Long now = after.getLong(Metric.UPTIME_IN_SECONDS);
        return up != null && now != null && now < up;
    }

    /**
     * @param reported whether the server reports the part at all
     * @param start its value at the first sample
     * @param peak its highest value
     * @param end its value at the last sample
     * @param peakAt the sample where it was highest
     */
    record Part(boolean reported, long start, long peak, long end, Snapshot peakAt) {

        long rise() {
            return peak - start;
        }

        /** Fell back to under half of its rise: a queue that filled and drained, a sync that finished. */
        boolean drained() {
            return end - start < rise() / 2;
        }
    }

    /** How much a counter grew over the range, a restart's reset counting from zero, and when it first grew. */
    record Counter(long total, Snapshot firstGrowth) {

        static Counter of(List<Snapshot> ok, Metric counter) {
            long total = 0;
            Snapshot firstAt = null;
            Long previous = null;
            for (Snapshot s : ok) {
                Long value = s.getLong(counter);
                if (value == null) {
                    continue;
                }
                if (previous != null) {
                    long delta = value >= previous ? value - previous : value;
                    if (delta > 0 && firstAt == null) {
                        firstAt = s;
                    }
                    total += delta;
                }
                previous = value;
            }
            return new Counter(total, firstAt);
        }
    }

    /** Less than this share of the limit left is CRITICAL, whatever the cause. */
    static final double CRITICAL_HEADROOM = 0.05;
    /** Less than this share left is at least WARNING. */
    static final double THIN_HEADROOM = 0.15;

    /** {@code otherwise}, raised to WARNING or CRITICAL when the headroom is thin. */
    Severity weighed(Severity otherwise) {
        double left = headroom();
        if (left < CRITICAL_HEADROOM) {
            return Severity.CRITICAL;
        }
        if (left < THIN_HEADROOM && otherwise == Severity.INFO) {
            return Severity.WARNING;
        }
        return otherwise;
    }

    /** The headroom in words, for the evidence. */
    String headroomLine() {
        long limit = limit();
        if (limit <= 0) {
            return "Neither maxmemory, a declared memory limit nor the host's memory is known: no headroom to weigh"
                    + " against.";
        }
        return "Headroom: used_memory at most " + Text.bytes(usedPeak()) + " against " + limitName() + " "
                + Text.bytes(limit) + ", " + Text.pct(headroom()) + " left.";
    }

    /** The change of a value in words that do not call a rise "flat": rose by, fell by, or moved less than. */
    String moved(long from, long to) {
        long delta = to - from;
        if (Math.abs(delta) < 1024 * 1024) {
            return "stayed at " + Text.bytes(to);
        }
        return (delta > 0 ? "rose by " : "fell by ") + Text.bytes(Math.abs(delta)) + " (" + Text.bytes(from) + " → "
                + Text.bytes(to) + ")";
    }

    String usedLine() {
        return "used_memory " + Text.bytes(usedFirst()) + " (" + Text.utc(first.timestamp()) + ") → "
                + Text.bytes(usedLast()) + " (" + Text.utc(last.timestamp()) + "), highest " + Text.bytes(usedPeak())
                + " at " + Text.utc(usedTop.timestamp()) + "; trend " + rate(used) + ", R² " + Text.r2(used.rSquared())
                + "." + (restarts > 0 ? " Redis restarted " + restarts + " time(s) in the range: trends read the"
                        + " samples since the last restart." : "");
    }

    String datasetLine() {
        return "used_memory_dataset " + Text.bytes(v(first, Metric.USED_MEMORY_DATASET)) + " → "
                + Text.bytes(v(last, Metric.USED_MEMORY_DATASET)) + ", used_memory_overhead "
                + Text.bytes(v(first, Metric.USED_MEMORY_OVERHEAD)) + " → " + Text.bytes(v(last, Metric.USED_MEMORY_OVERHEAD))
                + ".";
    }

    String keysLine() {
        if (first.get(Metric.KEYS) == null && last.get(Metric.KEYS) == null) {
            return "Key counts not reported.";
        }
        if (v(first, Metric.KEYS) == 0 && v(last, Metric.KEYS) == 0) {
            return "No keys.";
        }
        return "keys " + Text.count(v(first, Metric.KEYS)) + " → " + Text.count(v(last, Metric.KEYS)) + "; with a TTL "
                + Text.pct(ttlShare(first)) + " → " + Text.pct(ttlShare(last)) + ".";
    }

    static String rate(GrowthTrend trend) {
        double perHour = trend.perSecond() * 3600;
        return (perHour < 0 ? "-" : "+") + Text.bytes((long) Math.abs(perHour)) + "/h";
    }
}
