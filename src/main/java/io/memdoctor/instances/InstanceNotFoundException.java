package io.memdoctor.instances;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An instance id nobody configured: 404 on the API and on the pages. */
public class InstanceNotFoundException extends ErrorResponseException {

    public InstanceNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No instance with id '" + id + "'. GET /api/instances lists the known ones.");
        problem.setTitle("Unknown instance");
        return problem;
    }
}
