package io.fngate.invocation;

/**
 * Every error the gateway itself produces, with its HTTP status, RFC 9457 problem type and metric label.
 * Container errors are never mapped here: they pass through untouched.
 */
public enum PlatformError {
    /** The request names a function in a form that cannot be parsed. */
    MALFORMED_TARGET(400, "malformed-target", "Malformed invocation target"),
    /** A platform request header (NVCF-POLL-SECONDS) has an invalid value. */
    BAD_REQUEST_HEADER(400, "bad-request-header", "Invalid request header"),
    /** No credentials, or credentials that are no key (answered with {@code WWW-Authenticate: Bearer}). */
    UNAUTHORIZED(401, "unauthorized", "Missing or invalid credentials"),
    /** The key may not invoke that function (or, for a key that may not list functions, no such function). */
    FORBIDDEN(403, "forbidden", "Not allowed"),
    /** No function target at all, or no such function. */
    FUNCTION_NOT_FOUND(404, "function-not-found", "Function not found"),
    /** The function exists but has no such version. */
    VERSION_NOT_FOUND(404, "version-not-found", "Function version not found"),
    /** A pexec or status route was called with a method it does not serve (answered with {@code Allow}). */
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    /** A polled request id is unknown to the gateway, was already delivered, or expired unpolled. */
    REQUEST_NOT_FOUND(404, "request-not-found", "Request not found"),
    /** The client stopped sending its request body for longer than the request-body timeout. */
    REQUEST_BODY_TIMEOUT(408, "request-body-timeout", "Request body not received in time"),
    /** The request body broke its own framing (a bad chunk): the client's fault; the connection is closed. */
    MALFORMED_BODY(400, "malformed-body", "Malformed request body"),
    /** The request body is larger than the configured limit. */
    BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
    /** The gateway is shutting down and its grace period ended before the container answered. */
    SHUTTING_DOWN(503, "shutting-down", "Gateway shutting down"),
    /** The gateway itself ran out of a resource (file descriptors): not the instance's fault. */
    OVERLOADED(503, "gateway-overloaded", "Gateway overloaded"),
    /** No instance can serve the function or version. */
    NO_CAPACITY(503, "no-capacity", "No instance available"),
    /** Every instance was busy and the function's queue was full (answered with {@code Retry-After}). */
    QUEUE_FULL(429, "queue-full", "Too many requests waiting"),
    /** Every instance stayed busy until the request's response-start deadline; it never reached one. */
    QUEUE_TIMEOUT(504, "queue-timeout", "No instance accepted the request in time"),
    /** The instance refused or dropped the connection before answering. */
    UPSTREAM_UNREACHABLE(502, "upstream-unreachable", "Function instance unreachable"),
    /** The instance sent something that is not an HTTP/1.1 response. */
    UPSTREAM_PROTOCOL(502, "upstream-protocol-error", "Invalid response from function instance"),
    /** An asynchronous result grew past {@code invocation.async.max-result-size}; it was dropped. */
    RESULT_TOO_LARGE(502, "result-too-large", "Function result too large"),
    /** No response headers within the response-start timeout (or before the request deadline). */
    UPSTREAM_TIMEOUT(504, "upstream-timeout", "Function did not respond in time"),
    /** Anything unexpected; the client never sees internals. */
    INTERNAL(500, "internal-error", "Internal gateway error");

    private final int status;
    private final String label;
    private final String title;

    PlatformError(int status, String label, String title) {
        this.status = status;
        this.label = label;
        this.title = title;
    }

    /**
     * @return HTTP status code
     */
    public int status() {
        return status;
    }

    /**
     * @return short kebab-case name, used as metric label and in the problem type
     */
    public String label() {
        return label;
    }

    /**
     * @return problem title (constant per kind)
     */
    public String title() {
        return title;
    }

    /**
     * @return RFC 9457 problem type URI
     */
    public String type() {
        return "urn:fngate:problem-details:" + label;
    }
}
