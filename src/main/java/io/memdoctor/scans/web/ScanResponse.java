package io.memdoctor.scans.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.store.ScanPart;

/**
 * {@code GET /api/scans/{id}}: progress while running, and once ended the results at the top level
 * ({@code topKeys}, {@code biggestByType}, {@code byType}, {@code patterns}, {@code ttl}, ...).
 *
 * @param id the scan
 * @param instanceId the scanned instance
 * @param status RUNNING, DONE, CANCELLED, FAILED or INTERRUPTED
 * @param parameters what was asked for, defaults filled in
 * @param startedAt when it started
 * @param endedAt when it ended
 * @param keysScanned keys looked at so far
 * @param keysTotal DBSIZE at the start (-1 if unknown)
 * @param keysPerSecond average rate
 * @param etaSeconds estimated seconds left while running
 * @param progress 0 to 1
 * @param elapsedSeconds how long it ran
 * @param error why it failed or was interrupted
 * @param from {@code primary} or {@code replica}: where it was asked to run
 * @param cluster whether it scans every shard of a cluster (then each top key carries its {@code node})
 * @param parts the nodes it runs on, each with its own status and figures (a cluster: one per shard)
 * @param results what it found (absent while running)
 */
record ScanResponse(String id, String instanceId, String status, ScanParameters parameters, Instant startedAt,
        Instant endedAt, long keysScanned, long keysTotal, long keysPerSecond, Long etaSeconds, double progress,
        double elapsedSeconds, String error, String from, boolean cluster, List<ScanPart> parts,
        @JsonUnwrapped ScanResults results) {

    static ScanResponse of(ScanView scan) {
        return new ScanResponse(scan.id(), scan.instanceId(), scan.status().name(), scan.parameters(),
                scan.startedAt(), scan.endedAt(), scan.keysScanned(), scan.keysTotal(),
                Math.round(scan.keysPerSecond()), scan.etaSeconds(), Math.round(scan.progress() * 1000) / 1000.0,
                Math.round(scan.elapsedSeconds() * 10) / 10.0, scan.error(), scan.from(), scan.cluster(),
                scan.parts(), scan.results());
    }
}
