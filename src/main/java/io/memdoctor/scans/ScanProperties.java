package io.memdoctor.scans;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code memdoctor.scans.*}.
 *
 * @param timeout how long any Redis reply may take before a scan ends as FAILED (a paused or dead Redis)
 * @param maxPatterns key patterns kept per scan; keys of further patterns are added up in one "(other)" row
 * @param maxRunning scans that may run at once, over all instances (one per instance in any case)
 * @param batchesInFlight SCAN pages whose commands may be in flight at once (without a rate limit)
 * @param keepPerInstance ended scans kept per instance; older ones are deleted when a scan ends
 * @param shutdownGrace how long a stopping dashboard waits for running scans to record what they found
 * @param nodesInParallel nodes of a cluster scanned at once by one cluster-wide scan (each on its own thread and
 *        connection, each with the scan's rate limit); further shards wait for a free thread
 * @param lowCpuPriority whether scan threads run at the lowest CPU priority (nice 19, Linux), so that on a host
 *        shared with Redis or its clients a scan takes only CPU they leave free
 */
@ConfigurationProperties("memdoctor.scans")
public record ScanProperties(
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("1000") int maxPatterns,
        @DefaultValue("4") int maxRunning,
        @DefaultValue("8") int batchesInFlight,
        @DefaultValue("50") int keepPerInstance,
        @DefaultValue("10s") Duration shutdownGrace,
        @DefaultValue("16") int nodesInParallel,
        @DefaultValue("true") boolean lowCpuPriority) {

    public ScanProperties {
        if (timeout.isNegative() || timeout.isZero() || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("memdoctor.scans.timeout must be positive");
        }
        if (maxPatterns < 1 || maxRunning < 1 || batchesInFlight < 1 || keepPerInstance < 1
                || nodesInParallel < 1) {
            throw new IllegalArgumentException("memdoctor.scans.max-patterns, max-running, batches-in-flight,"
                    + " keep-per-instance and nodes-in-parallel must be at least 1");
        }
    }
}
