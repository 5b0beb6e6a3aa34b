package io.memdoctor.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand ({@link #advance}, {@link #set}), for code that asks a {@link Clock} whether
 * something is old enough: a window, a cache's age, a lease.
 */
public final class MovingClock extends Clock {

    private final ZoneId zone;
    private volatile Instant now;

    public MovingClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    public MovingClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    /** Moves the time on (or back, with a negative duration). */
    public void advance(Duration by) {
        now = now.plus(by);
    }

    public void set(Instant at) {
        now = at;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
