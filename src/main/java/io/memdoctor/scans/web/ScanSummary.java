package io.memdoctor.scans.web;

import java.time.Instant;

import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;

/**
 * One scan in {@code GET /api/instances/{id}/scans}: its figures without the results.
 *
 * @param id the scan
 * @param status RUNNING, DONE, CANCELLED, FAILED or INTERRUPTED
 * @param startedAt when it started
 * @param endedAt when it ended
 * @param keysScanned keys looked at
 * @param keysTotal DBSIZE at the start
 * @param keys keys measured (once ended)
 * @param bytes bytes measured (once ended, without MEMORY USAGE absent)
 * @param keysPerSecond average rate
 * @param progress 0 to 1
 * @param parameters what was asked for
 * @param error why it failed or was interrupted
 * @param from {@code primary} or {@code replica}: where it was asked to run
 * @param cluster whether it scanned every shard of a cluster
 */
record ScanSummary(String id, String status, Instant startedAt, Instant endedAt, long keysScanned, long keysTotal,
        Long keys, Long bytes, long keysPerSecond, double progress, ScanParameters parameters, String error,
        String from, boolean cluster) {

    static ScanSummary of(ScanView scan) {
        return new ScanSummary(scan.id(), scan.status().name(), scan.startedAt(), scan.endedAt(),
                scan.keysScanned(), scan.keysTotal(), scan.keys(), scan.bytes(), Math.round(scan.keysPerSecond()),
                Math.round(scan.progress() * 1000) / 1000.0, scan.parameters(), scan.error(), scan.from(),
                scan.cluster());
    }
}
