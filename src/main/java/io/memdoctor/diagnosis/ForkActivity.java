package io.memdoctor.diagnosis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/**
 * Finds the BGSAVEs and AOF rewrites in a series of OK samples, and how much copy-on-write each cost.
 *
 * <p>A fork shows as a sample taken while it ran ({@code rdb_bgsave_in_progress} / {@code aof_rewrite_in_progress}),
 * or as {@code total_forks} growing between two samples when it was shorter than the sampling interval. Its
 * copy-on-write is the largest of {@code current_cow_peak} / {@code current_cow_size} while it ran and the
 * {@code rdb_last_cow_size} / {@code aof_last_cow_size} it left behind (only when that value changed, so an old
 * fork's figure is not taken for a new one's).
 */
final class ForkActivity {

    private ForkActivity() {
    }

    /**
     * @param start the last sample before the fork was seen (or its first sample)
     * @param end the last sample that saw it
     * @param kind "BGSAVE" or "AOF rewrite"
     * @param cow the copy-on-write it cost, 0 when Redis did not report it
     * @param usedBefore used_memory when it started
     * @param usedAfter used_memory when it ended
     * @param rssBefore RSS when it started
     * @param rssPeak the highest RSS while it ran
     */
    record Fork(Instant start, Instant end, String kind, long cow, long usedBefore, long usedAfter, long rssBefore,
            long rssPeak) {
    }

    static List<Fork> find(List<Snapshot> ok) {
        List<Fork> forks = new ArrayList<>();
        int i = 0;
        while (i < ok.size()) {
            if (!forking(ok, i)) {
                i++;
                continue;
            }
            int first = i;
            while (i + 1 < ok.size() && forking(ok, i + 1) && !newForkStarts(ok, i + 1)) {
                i++;
            }
            int last = i;
            forks.add(describe(ok, first, last));
            i++;
        }
        return forks;
    }

    private static boolean forking(List<Snapshot> ok, int i) {
        Snapshot s = ok.get(i);
        return is(s, Metric.RDB_BGSAVE_IN_PROGRESS) || is(s, Metric.AOF_REWRITE_IN_PROGRESS) || forked(ok, i);
    }

    /** total_forks grew since the previous sample. */
    private static boolean forked(List<Snapshot> ok, int i) {
        if (i == 0) {
            return false;
        }
        Long now = ok.get(i).getLong(Metric.TOTAL_FORKS);
        Long before = ok.get(i - 1).getLong(Metric.TOTAL_FORKS);
        return now != null && before != null && now > before;
    }

    /** A sample that is forking again after the previous fork finished between two samples. */
    private static boolean newForkStarts(List<Snapshot> ok, int i) {
        boolean runningBefore = is(ok.get(i - 1), Metric.RDB_BGSAVE_IN_PROGRESS) || is(ok.get(i - 1), Metric.AOF_REWRITE_IN_PROGRESS);
        return !runningBefore && forked(ok, i);
    }

    private static boolean is(Snapshot s, Metric flag) {
        Long value = s.getLong(flag);
        return value != null && value > 0;
    }

    private static Fork describe(List<Snapshot> ok, int first, int last) {
        Snapshot before = first > 0 ? ok.get(first - 1) : ok.get(first);
        int after = Math.min(last + 1, ok.size() - 1);
        boolean aof = false;
        long cow = 0;
        long rssPeak = 0;
        for (int j = first; j <= after; j++) {
            Snapshot s = ok.get(j);
            aof |= is(s, Metric.AOF_REWRITE_IN_PROGRESS);
            cow = Math.max(cow, value(s, Metric.CURRENT_COW_PEAK));
            cow = Math.max(cow, value(s, Metric.CURRENT_COW_SIZE));
            for (Metric left : List.of(Metric.RDB_LAST_COW_SIZE, Metric.AOF_LAST_COW_SIZE)) {
                long figure = value(s, left);
                if (first == 0 || figure != value(before, left)) {
                    cow = Math.max(cow, figure);
                    aof |= left == Metric.AOF_LAST_COW_SIZE && figure > 0;
                }
            }
            if (j <= last) {
                rssPeak = Math.max(rssPeak, value(s, Metric.USED_MEMORY_RSS));
            }
        }
        Snapshot end = ok.get(last);
        return new Fork(before.timestamp(), end.timestamp(), aof ? "AOF rewrite" : "BGSAVE", cow,
                value(before, Metric.USED_MEMORY), value(ok.get(after), Metric.USED_MEMORY),
                value(before, Metric.USED_MEMORY_RSS), rssPeak);
    }

    private static long value(Snapshot s, Metric metric) {
        Long value = s.getLong(metric);
        return value == null ? 0 : value;
    }
}
