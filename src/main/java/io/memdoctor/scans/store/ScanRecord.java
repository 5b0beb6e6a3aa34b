package io.memdoctor.scans.store;

import java.time.Instant;
import java.util.List;

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
 * @param scannedFrom {@code primary} or {@code replica}: where it was asked to run ({@code null} for scans made
 *     before this was recorded: on the primary)
 * @param cluster whether it scanned every shard of a cluster
 * @param parts the nodes it ran on, with each one's figures (empty for scans made before these were recorded,
 *     and in listings)
 */
public record ScanRecord(String id, String instanceId, ScanStatus status, ScanParameters parameters,
        Instant startedAt, Instant endedAt, long keysTotal, long keysScanned, long elapsedMillis, String error,
        ScanResults results, Long keys, Long bytes, String scannedFrom, boolean cluster, List<ScanPart> parts) {

    public ScanRecord {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** A scan of one node of which nothing more is known (an RDB file's report, a scan stored before V14). */
    public ScanRecord(String id, String instanceId, ScanStatus status, ScanParameters parameters, Instant startedAt,
            Instant endedAt, long keysTotal, long keysScanned, long elapsedMillis, String error, ScanResults results,
            Long keys, Long bytes) {
        this(id, instanceId, status, parameters, startedAt, endedAt, keysTotal, keysScanned, elapsedMillis, error,
                results, keys, bytes, null, false, List.of());
    }

    /** A scan of the primary that just started. */
    public static ScanRecord started(String id, String instanceId, ScanParameters parameters, Instant at) {
        return started(id, instanceId, parameters, at, "primary", false, List.of());
    }

    /** A scan that just started on these nodes. */
    public static ScanRecord started(String id, String instanceId, ScanParameters parameters, Instant at,
            String scannedFrom, boolean cluster, List<ScanPart> parts) {
        return new ScanRecord(id, instanceId, ScanStatus.RUNNING, parameters, at, null, -1, 0, 0, null, null, null,
                null, scannedFrom, cluster, parts);
    }

    /** The same scan, ended with these figures and parts. */
    public ScanRecord ended(ScanStatus endStatus, Instant at, long total, long scanned, long elapsed, String why,
            ScanResults found, List<ScanPart> endedParts) {
        return new ScanRecord(id, instanceId, endStatus, parameters, startedAt, at, total, scanned, elapsed, why,
                found, found == null ? null : found.keys(), found == null ? null : found.bytes(), scannedFrom, cluster,
                endedParts);
    }
}
