package io.memdoctor.rdb;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A file or request that cannot be analysed (not an RDB file, too big, outside the directory...): 4xx. */
public class RdbRejectedException extends ErrorResponseException {

    public RdbRejectedException(HttpStatusCode status, String title, String detail) {
        super(status, problem(status, title, detail), null);
    }

    public static RdbRejectedException badRequest(String detail) {
        return new RdbRejectedException(HttpStatus.BAD_REQUEST, "Not an RDB file we can read", detail);
    }

    private static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
