package io.memdoctor.scans;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A scan was asked for an instance that is being scanned already: 409, naming the running scan. */
public class ScanAlreadyRunningException extends ErrorResponseException {

    private final String runningScanId;

    ScanAlreadyRunningException(String instanceId, String runningScanId) {
        super(HttpStatus.CONFLICT, problem(instanceId, runningScanId), null);
        this.runningScanId = runningScanId;
    }

    /** The scan that is running. */
    public String runningScanId() {
        return runningScanId;
    }

    private static ProblemDetail problem(String instanceId, String scanId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "A scan of '" + instanceId
                + "' is already running (" + scanId + "); cancel it with DELETE /api/scans/" + scanId
                + " or wait for it to end.");
        problem.setTitle("Scan already running");
        problem.setProperty("runningScanId", scanId);
        return problem;
    }
}
