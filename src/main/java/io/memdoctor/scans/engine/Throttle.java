package io.memdoctor.scans.engine;

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
            long nanos = Math.min(wait, MAX_SLEEP_NANOS);
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }
}
