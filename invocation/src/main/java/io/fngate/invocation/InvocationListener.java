package io.fngate.invocation;

/**
 * Told about every finished request on the invocation socket (observability implements it).
 * <p>
 * Called on the request's own thread after the response ended; implementations must be fast and must not
 * throw. Not for changing the response.
 */
@FunctionalInterface
public interface InvocationListener {

    /** A listener that ignores everything. */
    InvocationListener NONE = record -> { };

    /**
     * @param record what happened
     */
    void completed(InvocationRecord record);
}
