package io.memdoctor.snapshots;

import java.time.Duration;

/**
 * The rollup tables, finest first. Each level is rolled up from the one before it (minutes from raw samples), and a
 * chart reads the coarsest level whose rows are no wider than its buckets.
 */
public enum RollupLevel {

    MINUTE("snapshot_minute", Duration.ofMinutes(1)),
    TEN_MINUTES("snapshot_ten_minute", Duration.ofMinutes(10)),
    HOUR("snapshot_hour", Duration.ofHours(1));

    private final String table;
    private final Duration width;

    RollupLevel(String table, Duration width) {
        this.table = table;
        this.width = width;
    }

    String table() {
        return table;
    }

    /** How much time one row covers. */
    public Duration width() {
        return width;
    }

    long widthMillis() {
        return width.toMillis();
    }

    /** The level this one is rolled up from, or {@code null} for minutes (rolled up from raw samples). */
    RollupLevel finer() {
        return ordinal() == 0 ? null : values()[ordinal() - 1];
    }

    /** The coarsest level whose rows fit in a bucket of {@code bucketMillis}, or {@code null} below a minute. */
    static RollupLevel coarsestWithin(long bucketMillis) {
        RollupLevel fit = null;
        for (RollupLevel level : values()) {
            if (level.widthMillis() <= bucketMillis) {
                fit = level;
            }
        }
        return fit;
    }
}
