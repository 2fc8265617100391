package io.fngate.routing;

import java.util.Objects;

/**
 * Why a request could not be routed.
 *
 * @param kind   failure kind
 * @param detail a sentence for the client; never contains internals
 */
public record RouteFailure(Kind kind, String detail) implements RouteResult, ParsedTarget {

    /**
     * Checks for missing parts.
     */
    public RouteFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Failure kinds, in the order routing checks them.
     */
    public enum Kind {
        /** Neither a {@code function-id} header nor an invocation Host. */
        NO_TARGET,
        /** A target was given but is not well formed (an id that is not a UUID, for example). */
        MALFORMED_TARGET,
        /** No function with that id. */
        UNKNOWN_FUNCTION,
        /** The function has no version with that id. */
        UNKNOWN_VERSION,
        /** The function or version exists but no healthy instance can serve it (or it is not deployed). */
        NO_INSTANCE
    }
}
