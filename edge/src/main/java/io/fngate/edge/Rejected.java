package io.fngate.edge;

import java.util.Optional;

/**
 * Thrown inside the edge when a request head must be answered by the edge (and the connection closed) instead
 * of reaching Helidon. Carries no stack trace: it is control flow, raised by whoever sends a malformed head.
 */
final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient EdgeProblem problem;
    private final String detail;
    private final boolean head;
    private final String method;
    private final String path;

    /**
     * @param problem the answer, or null when the edge has already answered (the head timed out meanwhile)
     * @param detail  explanation for the client
     * @param head    whether the request is known to be a HEAD (the answer then has no body)
     * @param method  the request's method when known to be valid, else null (for the access log)
     * @param path    the request target's path when known to be valid, else null (for the access log)
     */
    Rejected(EdgeProblem problem, String detail, boolean head, String method, String path) {
        super(detail, null, false, false);
        this.problem = problem;
        this.detail = detail;
        this.head = head;
        this.method = method;
        this.path = path;
    }

    Rejected(EdgeProblem problem, String detail, boolean head) {
        this(problem, detail, head, null, null);
    }

    Rejected(EdgeProblem problem, String detail) {
        this(problem, detail, false, null, null);
    }

    /** The head was already answered by the watchdog; only the connection must end. */
    static Rejected answered() {
        return new Rejected(null, "already answered", false, null, null);
    }

    EdgeProblem problem() {
        return problem;
    }

    String detail() {
        return detail;
    }

    boolean head() {
        return head;
    }

    Optional<String> method() {
        return Optional.ofNullable(method);
    }

    Optional<String> path() {
        return Optional.ofNullable(path);
    }
}
