package io.memdoctor.scans;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.memdoctor.instances.Instance;
import io.memdoctor.scans.engine.ScanAccumulator;
import io.memdoctor.scans.engine.ScanProgress;
import io.memdoctor.scans.store.ScanRecord;

/** A scan while it runs: its stored row, live progress and figures, and why it should stop, if it should. */
final class RunningScan {

    /** Why a running scan is asked to stop. */
    enum StopReason {
        /** DELETE /api/scans/{id}: ends CANCELLED. */
        CANCELLED,
        /** The dashboard is stopping: ends INTERRUPTED. */
        SHUTDOWN,
        /** Its instance was removed: nothing is kept. */
        REMOVED
    }

    private final ScanRecord record;
    private final Instance instance;
    private final ScanProgress progress;
    private final ScanAccumulator accumulator;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile StopReason stopReason;

    RunningScan(ScanRecord record, Instance instance, ScanAccumulator accumulator) {
        this.record = record;
        this.instance = instance;
        this.accumulator = accumulator;
        this.progress = new ScanProgress(record.parameters().filtered());
    }

    ScanRecord record() {
        return record;
    }

    Instance instance() {
        return instance;
    }

    ScanProgress progress() {
        return progress;
    }

    ScanAccumulator accumulator() {
        return accumulator;
    }

    /** Asks the scan to stop; the first reason given wins. */
    void stop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    boolean stopRequested() {
        return stopReason != null;
    }

    StopReason stopReason() {
        return stopReason;
    }

    void markEnded() {
        ended.countDown();
    }

    /** Waits for the scan to end; true if it did within the time. */
    boolean awaitEnd(long millis) {
        try {
            return ended.await(millis, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    ScanView view() {
        return ScanView.running(record, progress.snapshot());
    }
}
