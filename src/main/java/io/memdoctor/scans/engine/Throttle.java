package io.memdoctor.scans.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Spaces batches so that no more than {@code keysPerSecond} keys are measured per second on average. */
final class Throttle {

    private static final long MAX_SLEEP_NANOS = 50_000_000L;

    private final int keysPerSecond;
    private final long startNanos = System.nanoTime();
    private long granted;

    Throttle(int keysPerSecond) {
        this.keysPerSecond = keysPerSecond;
    }

    /** Counts a batch of {@code keys} keys just sent and waits for the time it takes up at the rate. */
    void spend(int keys, BooleanSupplier stop) throws InterruptedException {
        granted += keys;
        waitUntil(startNanos + (long) (granted * 1e9 / keysPerSecond), stop);
    }

    private void waitUntil(long due, BooleanSupplier stop) throws InterruptedException {
        long wait;
        while ((wait = due - System.nanoTime()) > 0 && !stop.getAsBoolean()) {
            // parkNanos, not Thread.sleep: batches are often less than a millisecond apart, and sleep rounds up to
            // whole milliseconds
            LockSupport.parkNanos(Math.min(wait, MAX_SLEEP_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
