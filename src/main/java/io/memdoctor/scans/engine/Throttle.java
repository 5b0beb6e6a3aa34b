package io.memdoctor.scans.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Spaces batches so that no more than {@code keysPerSecond} keys are measured per second on average. */
final class Throttle {

    private static final long MAX_SLEEP_NANOS = 50_000_000L;

    private final Integer keysPerSecond;
    private final long startNanos = System.nanoTime();
    private long granted;

    Throttle(Integer keysPerSecond) {
        this.keysPerSecond = keysPerSecond;
    }

    /** Waits until a batch of {@code keys} keys may go; returns early when the scan is being stopped. */
    void acquire(int keys, BooleanSupplier stop) throws InterruptedException {
        if (keysPerSecond == null) {
            return;
        }
        long due = startNanos + (long) (granted * 1e9 / keysPerSecond);
        granted += keys;
        long wait;
        while ((wait = due - System.nanoTime()) > 0 && !stop.getAsBoolean()) {
            // parkNanos, not Thread.sleep: batches are a few milliseconds apart, and sleep rounds up to whole ones
            LockSupport.parkNanos(Math.min(wait, MAX_SLEEP_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
