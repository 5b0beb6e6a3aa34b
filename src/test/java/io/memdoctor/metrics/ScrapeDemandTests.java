package io.memdoctor.metrics;

import java.time.Duration;
import java.time.Instant;

import io.memdoctor.support.MovingClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The diagnoses for the gauge are made only while scrapes come. */
class ScrapeDemandTests {

    @Test
    void wantedFromAScrapeUntilFiveMinutesWithoutOne() {
        MovingClock clock = new MovingClock(Instant.parse("2026-11-30T03:00:00Z"));
        ScrapeDemand demand = new ScrapeDemand(clock);
        assertThat(demand.wanted()).as("never scraped").isFalse();

        demand.mark();
        clock.advance(ScrapeDemand.WITHIN);
        assertThat(demand.wanted()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(demand.wanted()).as("no scrape for 5 min 1 s").isFalse();
        demand.mark();
        assertThat(demand.wanted()).isTrue();
        assertThat(ScrapeDemand.WITHIN).isEqualTo(Duration.ofMinutes(5));
    }
}
