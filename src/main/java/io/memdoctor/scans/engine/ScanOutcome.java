package io.memdoctor.scans.engine;

/**
 * How a scan run ended.
 *
 * @param status DONE (whole keyspace), CANCELLED (stopped on request) or FAILED
 * @param error what went wrong, for FAILED
 */
public record ScanOutcome(ScanStatus status, String error) {
}
