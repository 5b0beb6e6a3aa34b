package io.memdoctor.cluster;

/** Slot ranges as text ({@code "0-5460,5462"}). */
final class Slots {

    /** Hash slots in a Redis Cluster. */
    static final int TOTAL = 16384;

    private Slots() {
    }

    /** How many slots the ranges cover. */
    static int count(String ranges) {
        int count = 0;
        if (ranges == null || ranges.isBlank()) {
            return 0;
        }
        for (String range : ranges.split(",")) {
            String[] ends = range.strip().split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
            count += to - from + 1;
        }
        return count;
    }

    /** The first slot, for ordering primaries; {@link #TOTAL} when none. */
    static int first(String ranges) {
        if (ranges == null || ranges.isBlank()) {
            return TOTAL;
        }
        return Integer.parseInt(ranges.split("[,-]")[0].strip());
    }
}
