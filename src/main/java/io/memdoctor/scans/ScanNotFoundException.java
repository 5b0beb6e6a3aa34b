package io.memdoctor.scans;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A scan id that is not (or no longer) stored: 404. */
public class ScanNotFoundException extends ErrorResponseException {

    public ScanNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        // the id came from the URL: quote it only when it has the shape of an id
        String shown = id != null && id.matches("[0-9a-fA-F-]{1,36}") ? " '" + id + "'" : "";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No scan" + shown
                + ". GET /api/instances/{id}/scans lists the scans of an instance.");
        problem.setTitle("Unknown scan");
        return problem;
    }
}
