package io.memdoctor.scans;

/**
 * A scan has ended (done, cancelled, failed or interrupted) and its record is final: what waits on a scan, such as
 * an incident that attaches its results, listens for this instead of polling.
 *
 * @param scanId the scan
 * @param instanceId the instance it scanned
 */
public record ScanEnded(String scanId, String instanceId) {
}
