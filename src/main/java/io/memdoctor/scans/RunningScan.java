package io.memdoctor.scans;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.memdoctor.instances.Instance;
import io.memdoctor.scans.engine.ScanAccumulator;
import io.memdoctor.scans.engine.ScanOutcome;
import io.memdoctor.scans.engine.ScanProgress;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanResultsMerger;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanPart;
import io.memdoctor.scans.store.ScanRecord;

/**
 * A scan while it runs: its stored row, one part per node it runs on (live progress and figures each), and why
 * it should stop, if it should. A stop asked for stops every part.
 */
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

    /** One node's share of the scan: measured by its own thread into its own accumulator. */
    static final class Part {

        private final ScanTarget target;
        private final ScanAccumulator accumulator;
        private final ScanProgress progress;
        private volatile ScanOutcome outcome;

        Part(ScanTarget target, ScanAccumulator accumulator, boolean filtered) {
            this.target = target;
            this.accumulator = accumulator;
            this.progress = new ScanProgress(filtered);
        }

        ScanTarget target() {
            return target;
        }

        ScanAccumulator accumulator() {
            return accumulator;
        }

        ScanProgress progress() {
            return progress;
        }

        ScanOutcome outcome() {
            return outcome;
        }

        void ended(ScanOutcome how) {
            this.outcome = how;
        }

        /** Its figures as of now (RUNNING until it ended). */
        ScanPart view(boolean withResults) {
            ScanProgress.Reading p = progress.reading();
            ScanOutcome how = outcome;
            ScanResults results = withResults ? accumulator.results() : null;
            return new ScanPart(target.node(), target.role(), target.primary(),
                    how == null ? ScanStatus.RUNNING : how.status(), p.keysTotal(), p.keysScanned(),
                    Math.round(p.elapsedSeconds() * 1000), how == null ? null : how.error(),
                    results == null ? null : results.keys(), results == null ? null : results.bytes());
        }
    }

    private final ScanRecord record;
    private final Instance instance;
    private final List<Part> parts;
    private final int maxPatterns;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile StopReason stopReason;

    RunningScan(ScanRecord record, Instance instance, List<Part> parts, int maxPatterns) {
        this.record = record;
        this.instance = instance;
        this.parts = List.copyOf(parts);
        this.maxPatterns = maxPatterns;
    }

    ScanRecord record() {
        return record;
    }

    Instance instance() {
        return instance;
    }

    List<Part> parts() {
        return parts;
    }

    /** The progress of all parts as one. */
    ScanProgress.Reading progress() {
        return ScanProgress.combine(parts.stream().map(p -> p.progress().reading()).toList());
    }

    /**
     * What was found so far: the one node's results, or for a cluster the nodes' results merged, each key marked
     * with its node.
     */
    ScanResults results() {
        if (!record.cluster()) {
            return parts.get(0).accumulator().results();
        }
        return ScanResultsMerger.merge(parts.stream()
                .map(p -> new ScanResultsMerger.Part(p.target().node(), p.accumulator().results())).toList(),
                record.parameters().topN(), maxPatterns);
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
        return ScanView.running(record, progress(), parts.stream().map(p -> p.view(false)).toList());
    }
}
