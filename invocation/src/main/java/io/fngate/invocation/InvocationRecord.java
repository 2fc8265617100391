package io.fngate.invocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.fngate.registry.Instance;

/**
 * One finished invocation, as reported to {@link InvocationListener}s.
 *
 * @param requestId     the {@code nvcf-reqid}
 * @param trace         the request's W3C trace context: the client's trace continued, or one the gateway started
 * @param start         when the request arrived
 * @param method        request method
 * @param path          the raw request path, without the query
 * @param functionId    the function, when the request named a registered one
 * @param versionId     the version that served it, when routed
 * @param instance      the instance it was last sent to, when admitted
 * @param status        status sent to the client (0 when none could be sent)
 * @param error         the platform error, when the gateway produced one
 * @param outcome       how the exchange ended
 * @param duration      from request start to the end of the response
 * @param queueWait     time spent waiting for an instance slot, when the request reached the dispatcher
 * @param connected     from request start to a connection to the instance (of the last attempt), when one was had
 * @param firstByte     from request start to the container's response head, when one came
 * @param bytesIn       request body bytes sent to the container
 * @param bytesOut      response body bytes relayed to the client
 * @param clientAddress the client's address, empty when unknown
 * @param userAgent     the client's {@code User-Agent}, empty when absent
 */
public record InvocationRecord(UUID requestId,
                               Trace trace,
                               Instant start,
                               String method,
                               String path,
                               Optional<UUID> functionId,
                               Optional<UUID> versionId,
                               Optional<Instance> instance,
                               int status,
                               Optional<PlatformError> error,
                               Outcome outcome,
                               Duration duration,
                               Optional<Duration> queueWait,
                               Optional<Duration> connected,
                               Optional<Duration> firstByte,
                               long bytesIn,
                               long bytesOut,
                               String clientAddress,
                               String userAgent) {

    /**
     * Checks for missing parts.
     */
    public InvocationRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(queueWait, "queueWait");
        Objects.requireNonNull(connected, "connected");
        Objects.requireNonNull(firstByte, "firstByte");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(userAgent, "userAgent");
    }

    /**
     * The W3C trace context of a request (https://www.w3.org/TR/trace-context/).
     *
     * @param traceId  32 lower-case hex digits
     * @param spanId   the gateway's span (16 hex digits): the parent the container was told of
     * @param parentId the client's span, when the client sent a valid {@code traceparent}
     * @param sampled  whether the trace is sampled (the client's flag, or the gateway's decision for a new trace)
     */
    public record Trace(String traceId, String spanId, Optional<String> parentId, boolean sampled) {
        /**
         * Checks for missing parts.
         */
        public Trace {
            Objects.requireNonNull(traceId, "traceId");
            Objects.requireNonNull(spanId, "spanId");
            Objects.requireNonNull(parentId, "parentId");
        }
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
        SHUTDOWN;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        /**
         * @return lower-case name, used as metric label and in the access log
         */
        public String label() {
            return label;
        }
    }
}
