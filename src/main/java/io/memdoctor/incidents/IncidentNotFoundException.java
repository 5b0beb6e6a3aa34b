package io.memdoctor.incidents;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An incident id that is not stored: 404 on the API and on the pages. */
public class IncidentNotFoundException extends ErrorResponseException {

    public IncidentNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        // the id came from the URL: quote it only when it has the shape of an id
        String shown = id != null && id.matches("[0-9a-fA-F-]{1,36}") ? " '" + id + "'" : "";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No incident" + shown + ". GET /api/incidents lists the captured and imported ones.");
        problem.setTitle("Unknown incident");
        return problem;
    }
}
