package io.memdoctor.instances;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A name (or the id derived from it) that is taken, or a cluster already watched: 409. */
public class DuplicateInstanceException extends ErrorResponseException {

    public DuplicateInstanceException(String detail) {
        super(HttpStatus.CONFLICT, problem(detail), null);
    }

    private DuplicateInstanceException(ProblemDetail problem) {
        super(HttpStatus.CONFLICT, problem, null);
    }

    /**
     * A server that is a node of a cluster already watched: the problem names the cluster ({@code existing}: its
     * id), whose nodes are sampled already.
     */
    public static DuplicateInstanceException sameCluster(Instance cluster) {
        ProblemDetail problem = problem("This server is a node of the cluster '" + cluster.name() + "' (id '"
                + cluster.id() + "'), which is already watched with every node: open it at /clusters/"
                + cluster.id() + " instead of adding it again.");
        problem.setTitle("Cluster already watched");
        problem.setProperty("existing", cluster.id().value());
        return new DuplicateInstanceException(problem);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setTitle("Instance already exists");
        return problem;
    }
}
