package io.memdoctor.rdb;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An analysis id that is not (or no longer) stored: 404. */
public class RdbNotFoundException extends ErrorResponseException {

    public RdbNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        String shown = id != null && id.matches("[0-9a-fA-F-]{1,36}") ? " '" + id + "'" : "";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No RDB analysis" + shown
                + ". GET /api/rdb lists them.");
        problem.setTitle("Unknown RDB analysis");
        return problem;
    }
}
