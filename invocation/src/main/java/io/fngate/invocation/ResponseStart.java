package io.fngate.invocation;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import io.fngate.registry.FunctionType;

/**
 * A container's response whose body is about to be relayed, as told to
 * {@link InvocationListener#responseStarted}.
 *
 * @param requestId    the {@code nvcf-reqid}
 * @param functionId   the function
 * @param versionId    the version that answers
 * @param functionType the version's type ({@link FunctionType#LLM} bodies may carry token usage)
 * @param status       the status relayed
 * @param eventStream  whether the body is {@code text/event-stream}
 * @param requestStart when the request arrived
 */
public record ResponseStart(UUID requestId, UUID functionId, UUID versionId, FunctionType functionType, int status,
                            boolean eventStream, Instant requestStart) {

    /**
     * Checks for missing parts.
     */
    public ResponseStart {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(functionType, "functionType");
        Objects.requireNonNull(requestStart, "requestStart");
    }
}
