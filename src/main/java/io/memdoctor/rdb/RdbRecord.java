package io.memdoctor.rdb;

import java.time.Instant;

import io.memdoctor.scans.engine.ScanStatus;

/**
 * An analysis as stored and shown.
 *
 * @param id random UUID
 * @param source the uploaded file's name, or the path under {@code memdoctor.rdb.directory}
 * @param status RUNNING, DONE, CANCELLED, FAILED, or INTERRUPTED (the dashboard stopped meanwhile)
 * @param startedAt when it started
 * @param endedAt when it ended, {@code null} while running
 * @param bytesTotal the file's size
 * @param bytesRead bytes read so far
 * @param keysRead keys read so far
 * @param elapsedMillis how long it ran
 * @param error why it failed (with the byte offset and key where reading stopped)
 * @param report what it found, {@code null} while running or when nothing could be read
 */
public record RdbRecord(String id, String source, ScanStatus status, Instant startedAt, Instant endedAt,
        long bytesTotal, long bytesRead, long keysRead, long elapsedMillis, String error, RdbReport report) {

    public boolean running() {
        return status == ScanStatus.RUNNING;
    }

    /** 0 to 1. */
    public double progress() {
        if (status == ScanStatus.DONE) {
            return 1;
        }
        return bytesTotal > 0 ? Math.min(1, (double) bytesRead / bytesTotal) : 0;
    }
}
