package io.memdoctor.instances;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A name (or the id derived from it) that is taken: 409. */
public class DuplicateInstanceException extends ErrorResponseException {

    public DuplicateInstanceException(String detail) {
        super(HttpStatus.CONFLICT, problem(detail), null);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setTitle("Instance already exists");
        return problem;
    }
}
