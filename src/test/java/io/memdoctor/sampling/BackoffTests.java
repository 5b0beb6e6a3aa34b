package io.memdoctor.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.memdoctor.instances.InstanceId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Backoff of a failing instance: the interval, then doubling up to the maximum; a success resets. */
class BackoffTests {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final InstanceId ID = InstanceId.of("dead");

    final Backoff backoff = new Backoff(INTERVAL, Duration.ofMinutes(5));

    @Test
    void delaysDoubleFromTheIntervalUpToTheMaximum() {
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delayAfter(1000)).isEqualTo(Duration.ofMinutes(5));
        assertThat(new Backoff(INTERVAL, Duration.ZERO).delayAfter(3)).isEqualTo(INTERVAL);
    }

    @Test
    void ticksInsideTheDelayAreSkippedAndASuccessResets() {
        Instant t = Instant.parse("2026-11-29T20:00:00Z");
        assertThat(backoff.due(ID, t)).isTrue();
        backoff.record(ID, false, t);
        // one failure: retried at the next tick, even one a few milliseconds early
        assertThat(backoff.due(ID, t.plus(INTERVAL).minusMillis(30))).isTrue();
        backoff.record(ID, false, t.plus(INTERVAL));
        assertThat(backoff.due(ID, t.plus(INTERVAL.multipliedBy(2)))).isFalse();
        assertThat(backoff.due(ID, t.plus(INTERVAL.multipliedBy(3)))).isTrue();
        backoff.record(ID, false, t.plus(INTERVAL.multipliedBy(3)));
        assertThat(backoff.failures(ID)).isEqualTo(3);
        assertThat(backoff.due(ID, t.plus(INTERVAL.multipliedBy(6)))).isFalse();
        assertThat(backoff.due(ID, t.plus(INTERVAL.multipliedBy(7)))).isTrue();

        backoff.record(ID, true, t.plus(INTERVAL.multipliedBy(7)));
        assertThat(backoff.failures(ID)).isZero();
        assertThat(backoff.due(ID, t.plus(INTERVAL.multipliedBy(8)))).isTrue();
    }

    @Test
    void removedInstancesAreForgotten() {
        backoff.record(ID, false, Instant.now());
        backoff.retain(Set.of(InstanceId.of("other")));
        assertThat(backoff.failures(ID)).isZero();
    }
}
