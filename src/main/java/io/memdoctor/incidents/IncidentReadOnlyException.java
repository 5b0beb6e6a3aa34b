package io.memdoctor.incidents;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Notes were added to an imported incident, which is another team's record and stays as it was exported: 409. */
public class IncidentReadOnlyException extends ErrorResponseException {

    IncidentReadOnlyException(String id) {
        super(HttpStatus.CONFLICT, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Incident '" + id
                + "' was imported from another dashboard and is read-only; add notes where it was captured.");
        problem.setTitle("Imported incident is read-only");
        return problem;
    }
}
