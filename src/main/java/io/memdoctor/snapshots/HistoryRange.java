package io.memdoctor.snapshots;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A validated history query: {@code from < to}, at most {@link #MAX_SPAN} long, and a sane point budget.
 *
 * @param from start, inclusive
 * @param to end, exclusive
 * @param maxPoints most points to answer with (2 to 20,000)
 */
public record HistoryRange(Instant from, Instant to, int maxPoints) {

    public static final Duration DEFAULT_SPAN = Duration.ofHours(1);
    public static final Duration MAX_SPAN = Duration.ofDays(400);
    public static final int DEFAULT_MAX_POINTS = 1000;

    public HistoryRange {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("'from' must be before 'to'");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("the range may span at most " + MAX_SPAN.toDays() + " days");
        }
        if (maxPoints < 2 || maxPoints > 20_000) {
            throw new IllegalArgumentException("'maxPoints' must be between 2 and 20000");
        }
    }

    /** Fills in defaults: up to now, one hour back, 1000 points. */
    public static HistoryRange of(Instant from, Instant to, Integer maxPoints, Clock clock) {
        Instant end = to != null ? to : clock.instant().plusMillis(1);
        Instant start = from != null ? from : end.minus(DEFAULT_SPAN);
        return new HistoryRange(start, end, maxPoints != null ? maxPoints : DEFAULT_MAX_POINTS);
    }
}
