package io.fngate.invocation;

import java.util.UUID;

import io.fngate.registry.Instance;
import io.fngate.streaming.RelayObserver;

/**
 * Told what happens to requests on the invocation socket (observability implements it): every finished request
 * ({@link #completed}), and on the way the events a finished record cannot tell in time or at all: a response
 * body starting (streams are watched while they run), upstream failures, retries and ejections.
 * <p>
 * Called on the request's own thread; implementations must be fast and must not throw (a failure is logged and
 * ignored). Every method but {@link #completed} has a default that ignores the event. Not for changing the
 * response.
 */
public interface InvocationListener {

    /** A listener that ignores everything. */
    InvocationListener NONE = record -> { };

    /**
     * A request brings no (valid) trace context, so the gateway starts a trace: should it be sampled? A sampled
     * trace tells the container to record its part ({@code traceparent} flag 01); say yes only when this
     * listener records the gateway's span ({@link InvocationRecord.Trace#sampled()}). Called on every such request,
     * before anything else: must be cheap.
     *
     * @return whether the new trace is sampled (default: no)
     */
    default boolean sampleNewTrace() {
        return false;
    }

    /**
     * A request finished: called exactly once per request, after its response ended.
     *
     * @param record what happened
     */
    void completed(InvocationRecord record);

    /**
     * The container's response head was relayed and its body starts now (not called for responses without a
     * body). The observer returned sees the body as it is relayed and is told how it ended, before
     * {@link #completed} is called for the same request.
     *
     * @param start the request and the response
     * @return an observer of the body, or {@link RelayObserver#NONE}
     */
    default RelayObserver responseStarted(ResponseStart start) {
        return RelayObserver.NONE;
    }

    /**
     * An attempt to reach an instance, or to get its response, failed (maybe more than once per request).
     *
     * @param functionId the function
     * @param versionId  the version the instance serves
     * @param failure    what failed
     */
    default void upstreamFailed(UUID functionId, UUID versionId, UpstreamFailure failure) {
    }

    /**
     * A request is tried again: on another instance after a connect failure, or on a fresh connection after a
     * reused one turned out closed.
     *
     * @param functionId the function
     * @param versionId  the version of the instance that failed
     */
    default void retried(UUID functionId, UUID versionId) {
    }

    /**
     * A failure reported by this gateway took an instance out of the rotation (passive ejection).
     *
     * @param functionId the function
     * @param versionId  the version the instance serves
     * @param instance   the instance
     */
    default void ejected(UUID functionId, UUID versionId, Instance instance) {
    }
}
