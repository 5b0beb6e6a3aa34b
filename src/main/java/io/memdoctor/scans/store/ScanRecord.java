package io.memdoctor.scans.store;

import java.time.Instant;

import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;

/**
 * A scan as stored.
 *
 * @param id random UUID
 * @param instanceId the scanned instance
 * @param status RUNNING until it ends
 * @param parameters what was asked for
 * @param startedAt when it started
 * @param endedAt when it ended, {@code null} while running
 * @param keysTotal DBSIZE at the start, -1 if unknown
 * @param keysScanned keys SCAN returned and that were looked at
 * @param elapsedMillis how long it ran
 * @param error why it failed or was interrupted
 * @param results what it found; {@code null} while running, or when it was interrupted without a chance to
 *     record anything; left out of listings ({@link #summary()})
 * @param keys keys measured (a copy of {@code results.keys()}, for listings)
 * @param bytes bytes measured, {@code null} without MEMORY USAGE
 */
public record ScanRecord(String id, String instanceId, ScanStatus status, ScanParameters parameters,
        Instant startedAt, Instant endedAt, long keysTotal, long keysScanned, long elapsedMillis, String error,
        ScanResults results, Long keys, Long bytes) {

    /** A scan that just started. */
    public static ScanRecord started(String id, String instanceId, ScanParameters parameters, Instant at) {
        return new ScanRecord(id, instanceId, ScanStatus.RUNNING, parameters, at, null, -1, 0, 0, null, null, null,
                null);
    }
}
