package io.fngate.invocation;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One finished invocation, as reported to {@link InvocationListener}s.
 *
 * @param requestId   the {@code nvcf-reqid}
 * @param method      request method
 * @param functionId  the function, when the request named a registered one
 * @param versionId   the version that served it, when routed
 * @param status      status sent to the client (0 when none could be sent)
 * @param error       the platform error, when the gateway produced one
 * @param outcome     how the exchange ended
 * @param duration    from request start to the end of the response
 * @param bytesOut    response body bytes relayed to the client
 */
public record InvocationRecord(UUID requestId,
                               String method,
                               Optional<UUID> functionId,
                               Optional<UUID> versionId,
                               int status,
                               Optional<PlatformError> error,
                               Outcome outcome,
                               Duration duration,
                               long bytesOut) {

    /**
     * Checks for missing parts.
     */
    public InvocationRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * How an exchange ended.
     */
    public enum Outcome {
        /** The response was delivered completely. */
        COMPLETED,
        /** The gateway answered with a platform error. */
        PLATFORM_ERROR,
        /** The global request timeout ended a stream that had started. */
        DEADLINE,
        /** The client went away before the response ended; the upstream request was aborted. */
        CLIENT_GONE,
        /** The upstream failed after the response started; the client connection was aborted. */
        UPSTREAM_FAILED,
        /** Still running when the shutdown grace period ended: aborted upstream and towards the client. */
        SHUTDOWN
    }
}
