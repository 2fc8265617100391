package io.fngate.routing;

import java.util.Objects;

/**
 * Why the {@link Dispatcher} admitted a request to no instance. Carries no stack trace: it is an answer,
 * not a bug.
 */
public final class DispatchException extends RuntimeException {
    private final Kind kind;

    DispatchException(Kind kind, String detail) {
        super(Objects.requireNonNull(detail, "detail"), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * @return what happened
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return a sentence for the client; never contains internals
     */
    public String detail() {
        return getMessage();
    }

    /**
     * Kinds of refusal.
     */
    public enum Kind {
        /** Every instance was busy and the function's queue was full. */
        QUEUE_FULL,
        /** The request waited in the queue until its deadline; no instance took it. */
        QUEUE_TIMEOUT,
        /** No instance may take it at all: none left (removed, ejected, or already tried). */
        NO_INSTANCE,
        /** The client went away while the request waited. */
        CANCELLED
    }
}
