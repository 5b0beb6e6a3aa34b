package io.memdoctor.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether anyone reads the gauges: a scrape marks it, and work done only for the scrape (diagnosing every instance)
 * is skipped once no scrape came for {@link #WITHIN}. A dashboard nobody scrapes then diagnoses nothing in the
 * background; one that is scraped keeps verdicts at most a minute old, as before.
 */
final class ScrapeDemand {

    static final Duration WITHIN = Duration.ofMinutes(5);

    private final Clock clock;
    private volatile Instant scrapedAt;

    ScrapeDemand(Clock clock) {
        this.clock = clock;
    }

    /** A scrape read the gauges now. */
    void mark() {
        scrapedAt = clock.instant();
    }

    /** True when a scrape came within {@link #WITHIN}. */
    boolean wanted() {
        Instant at = scrapedAt;
        return at != null && !at.isBefore(clock.instant().minus(WITHIN));
    }
}
