package io.memdoctor.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.instances.InstanceId;

/**
 * When an instance that keeps failing is sampled again, as spring-boot-admin checks a dead application: after one
 * failure at the next tick, then after twice, four times... the interval, up to {@code memdoctor.sampling.max-backoff}.
 * A success forgets the failures. Ticks skipped in between store nothing, so a dead instance costs one connect
 * attempt (and, for a silent one, one timeout) per backoff step instead of one per tick.
 */
final class Backoff {

    private final Duration interval;
    private final Duration max;
    private final Map<InstanceId, Failing> failing = new ConcurrentHashMap<>();

    Backoff(Duration interval, Duration max) {
        this.interval = interval;
        this.max = max;
    }

    /**
     * Whether the instance is due at a tick at {@code now}. Half an interval of slack, so a tick a few milliseconds
     * early is not skipped.
     */
    boolean due(InstanceId id, Instant now) {
        Failing state = failing.get(id);
        return state == null || !now.plus(interval.dividedBy(2)).isBefore(state.next());
    }

    /** Records a sample's outcome, taken at {@code at}. */
    void record(InstanceId id, boolean ok, Instant at) {
        if (ok) {
            failing.remove(id);
            return;
        }
        failing.compute(id, (key, before) -> {
            int failures = before == null ? 1 : before.failures() + 1;
            return new Failing(failures, at.plus(delayAfter(failures)));
        });
    }

    /** How long after its {@code failures}-th failure in a row an instance is sampled again. */
    Duration delayAfter(int failures) {
        Duration delay = interval;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? (interval.compareTo(max) > 0 ? interval : max) : delay;
    }

    /** Failures in a row of the instance (0 when its last sample succeeded). */
    int failures(InstanceId id) {
        Failing state = failing.get(id);
        return state == null ? 0 : state.failures();
    }

    /** Forgets instances that are no longer watched. */
    void retain(Set<InstanceId> watched) {
        failing.keySet().retainAll(watched);
    }

    private record Failing(int failures, Instant next) {
    }
}
