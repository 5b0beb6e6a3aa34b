package io.memdoctor.scans;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request that does not fit the state of the scans: 409. Too many scans run at once, the scan to cancel has
 * ended, or the scans to compare have no results yet. (A scan already running on the instance has its own
 * {@link ScanAlreadyRunningException}.)
 */
public class ScanConflictException extends ErrorResponseException {

    private ScanConflictException(String title, String detail) {
        super(HttpStatus.CONFLICT, problem(title, detail), null);
    }

    static ScanConflictException tooMany(int running) {
        return new ScanConflictException("Too many scans", running
                + " scans are running, the most allowed at once (memdoctor.scans.max-running); wait for one to end.");
    }

    static ScanConflictException shuttingDown() {
        return new ScanConflictException("Shutting down", "The dashboard is stopping; start the scan again later.");
    }

    static ScanConflictException ended(String scanId, String status) {
        return new ScanConflictException("Scan not running", "Scan " + scanId + " has already ended (" + status
                + "); there is nothing to cancel.");
    }

    static ScanConflictException noResults(String scanId, String status) {
        return new ScanConflictException("Scan has no results", "Scan " + scanId + " has no results to compare ("
                + status + ").");
    }

    static ScanConflictException noReplica(String instanceId) {
        return new ScanConflictException("No replica to scan", "Instance '" + instanceId + "' has no replica online"
                + " (INFO replication lists none): scan from the primary instead.");
    }

    static ScanConflictException noTopology(String clusterId) {
        return new ScanConflictException("Cluster topology unknown", "The nodes of cluster '" + clusterId
                + "' are not known yet (its topology has not been read): try again in a moment.");
    }

    static ScanConflictException unreachableReplica(String address, String reason) {
        return new ScanConflictException("Replica not allowed", "The replica " + address + " cannot be scanned: "
                + reason);
    }

    private static ProblemDetail problem(String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setTitle(title);
        return problem;
    }
}
