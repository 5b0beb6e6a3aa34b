package io.memdoctor.snapshots;

import java.util.Arrays;
import java.util.function.Supplier;

/** How the history benchmarks time a query: warm-up runs, then the median and the slowest of the measured runs. */
final class QueryTimings {

    static final int WARMUP = 3;
    static final int RUNS = 15;

    private QueryTimings() {
    }

    /**
     * One row of a benchmark's table.
     *
     * @param points how many points the query returned
     */
    record Result(String name, int points, double p50, double max) {
        String row() {
            return "| %s | %d | %.1f | %.1f |".formatted(name, points, p50, max);
        }
    }

    static Result measure(String name, Supplier<SnapshotHistory.HistoryResult> query) {
        int[] points = new int[1];
        double[] millis = sortedMillis(() -> points[0] = query.get().points().size());
        return new Result(name, points[0], millis[RUNS / 2], millis[RUNS - 1]);
    }

    /** A timing without points: the median, in milliseconds. */
    record Timing(double p50) {
    }

    static Timing time(Supplier<?> work) {
        return new Timing(sortedMillis(work::get)[RUNS / 2]);
    }

    private static double[] sortedMillis(Runnable work) {
        for (int i = 0; i < WARMUP; i++) {
            work.run();
        }
        double[] millis = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            work.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }
}
