package io.memdoctor.scans;

import java.time.Instant;
import java.util.List;

import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanProgress;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanPart;
import io.memdoctor.scans.store.ScanRecord;

/**
 * A scan as the API and the pages show it: live progress while it runs, the stored figures and results once it
 * has ended.
 *
 * @param id the scan's id
 * @param instanceId the scanned instance
 * @param status RUNNING, DONE, CANCELLED, FAILED or INTERRUPTED
 * @param parameters what was asked for
 * @param startedAt when it started
 * @param endedAt when it ended, {@code null} while running
 * @param keysScanned keys looked at so far
 * @param keysTotal DBSIZE at the start (-1 if unknown)
 * @param keysPerSecond average rate
 * @param etaSeconds estimated seconds left while running; {@code null} when unknown or ended
 * @param progress 0 to 1
 * @param elapsedSeconds time it ran
 * @param error why it failed or was interrupted
 * @param keys keys measured, once ended
 * @param bytes bytes measured, once ended ({@code null} without MEMORY USAGE)
 * @param results what it found, once ended ({@code null} while running, and in listings)
 * @param from {@code primary} or {@code replica}
 * @param cluster whether it scans every shard of a cluster
 * @param parts the nodes it runs on, each with its own figures (live while running; empty in listings and for
 *     scans stored before they were recorded)
 */
public record ScanView(String id, String instanceId, ScanStatus status, ScanParameters parameters, Instant startedAt,
        Instant endedAt, long keysScanned, long keysTotal, double keysPerSecond, Long etaSeconds, double progress,
        double elapsedSeconds, String error, Long keys, Long bytes, ScanResults results, String from, boolean cluster,
        List<ScanPart> parts) {

    static ScanView running(ScanRecord scan, ScanProgress.Reading progress, List<ScanPart> parts) {
        return new ScanView(scan.id(), scan.instanceId(), ScanStatus.RUNNING, scan.parameters(), scan.startedAt(),
                null, progress.keysScanned(), progress.keysTotal(), progress.keysPerSecond(), progress.etaSeconds(),
                progress.fraction(), progress.elapsedSeconds(), null, null, null, null, from(scan), scan.cluster(),
                parts);
    }

    private static String from(ScanRecord scan) {
        return scan.scannedFrom() == null ? ScanSource.PRIMARY.value() : scan.scannedFrom();
    }

    /** The node it ran on, for a scan of one node; {@code null} for a cluster or when not recorded. */
    public String node() {
        return !cluster && parts.size() == 1 ? parts.get(0).node() : null;
    }

    static ScanView of(ScanRecord scan) {
        double seconds = scan.elapsedMillis() / 1000.0;
        double rate = seconds > 0 ? scan.keysScanned() / seconds : 0;
        double progress = scan.status() == ScanStatus.DONE ? 1.0
                : scan.keysTotal() > 0 ? Math.min(1.0, (double) scan.keysScanned() / scan.keysTotal()) : 0;
        return new ScanView(scan.id(), scan.instanceId(), scan.status(), scan.parameters(), scan.startedAt(),
                scan.endedAt(), scan.keysScanned(), scan.keysTotal(), rate, null, progress, seconds, scan.error(),
                scan.keys(), scan.bytes(), scan.results(), from(scan), scan.cluster(), scan.parts());
    }

    public boolean running() {
        return status == ScanStatus.RUNNING;
    }
}
