package io.memdoctor.rdb;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.memdoctor.rdb.format.RdbParser;
import io.memdoctor.scans.engine.ScanStatus;

/**
 * An analysis that has not ended: its file, its parser (for progress), and the cancel flag its thread polls.
 * Written by the analysis thread, read by request threads.
 */
final class RdbAnalysis {

    private final String id;
    private final String source;
    private final Path file;
    private final boolean deleteAfter;
    private final long bytesTotal;
    private final Instant startedAt;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile RdbParser parser;
    private volatile boolean cancelRequested;

    RdbAnalysis(String id, String source, Path file, boolean deleteAfter, long bytesTotal, Instant startedAt) {
        this.id = id;
        this.source = source;
        this.file = file;
        this.deleteAfter = deleteAfter;
        this.bytesTotal = bytesTotal;
        this.startedAt = startedAt;
    }

    String id() {
        return id;
    }

    String source() {
        return source;
    }

    Path file() {
        return file;
    }

    boolean deleteAfter() {
        return deleteAfter;
    }

    long bytesTotal() {
        return bytesTotal;
    }

    Instant startedAt() {
        return startedAt;
    }

    void reading(RdbParser parser) {
        this.parser = parser;
    }

    void cancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void end() {
        ended.countDown();
    }

    boolean awaitEnd(long millis) {
        try {
            return ended.await(millis, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Live progress, without results. */
    RdbRecord view(Instant now) {
        RdbParser p = parser;
        long read = p == null ? 0 : p.bytesRead();
        long keys = p == null ? 0 : p.keysRead();
        return new RdbRecord(id, source, ScanStatus.RUNNING, startedAt, null, bytesTotal, read, keys,
                now.toEpochMilli() - startedAt.toEpochMilli(), null, null);
    }
}
