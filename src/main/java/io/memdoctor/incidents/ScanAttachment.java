package io.memdoctor.incidents;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.memdoctor.scans.engine.ScanResults;

/**
 * The keyspace scan started with a capture: its id and status until it ends, then its results, frozen into the
 * incident so they survive the scan's own retention.
 *
 * @param scanId the scan
 * @param status RUNNING, DONE, CANCELLED, FAILED, INTERRUPTED, or NOT_STARTED / GONE
 * @param startedAt when it started
 * @param endedAt when it ended, {@code null} while it runs
 * @param error why it failed or did not start
 * @param results what it found, once ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanAttachment(String scanId, String status, Instant startedAt, Instant endedAt, String error,
        ScanResults results) {

    /** The status while the scan runs. */
    public static final String RUNNING = "RUNNING";

    /** Whether the scan may still change: its end is attached when it comes. */
    public boolean pending() {
        return RUNNING.equals(status);
    }
}
