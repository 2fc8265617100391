package io.fngate.edge;

/**
 * Thrown inside the edge when a request head must be answered by the edge (and the connection closed) instead
 * of reaching Helidon. Carries no stack trace: it is control flow, raised by whoever sends a malformed head.
 */
final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient EdgeProblem problem;
    private final String detail;
    private final boolean head;

    /**
     * @param problem the answer, or null when the edge has already answered (the head timed out meanwhile)
     * @param detail  explanation for the client
     * @param head    whether the request is known to be a HEAD (the answer then has no body)
     */
    Rejected(EdgeProblem problem, String detail, boolean head) {
        super(detail, null, false, false);
        this.problem = problem;
        this.detail = detail;
        this.head = head;
    }

    Rejected(EdgeProblem problem, String detail) {
        this(problem, detail, false);
    }

    /** The head was already answered by the watchdog; only the connection must end. */
    static Rejected answered() {
        return new Rejected(null, "already answered", false);
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
}
