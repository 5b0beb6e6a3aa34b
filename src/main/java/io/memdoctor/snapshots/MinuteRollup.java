package io.memdoctor.snapshots;

import java.time.Instant;

/**
 * One rollup row: the minimum and maximum of every numeric field over the OK samples of a minute (or of the 10
 * minutes or hour of a coarser {@link RollupLevel}).
 *
 * @param minuteStart start of the minute (or of the row's 10 minutes or hour)
 * @param firstAt time of the minute's first sample
 * @param lastAt time of its last sample
 * @param samples samples taken in the row's time
 * @param okSamples of which succeeded
 * @param min minimum of each field (text fields: the value seen), timestamped {@code firstAt}
 * @param max maximum of each field, timestamped {@code lastAt}
 */
public record MinuteRollup(Instant minuteStart, Instant firstAt, Instant lastAt, int samples, int okSamples,
        Snapshot min, Snapshot max) {

    /** True when at least one sample in the minute failed. */
    public boolean hasFailures() {
        return okSamples < samples;
    }
}
