package io.fngate.invocation;

import java.util.Locale;

/**
 * What went wrong between the gateway and a function instance, as told to {@link InvocationListener}s: where an
 * operator looks when an invocation fails (the network, the container, or its protocol).
 */
public enum UpstreamFailure {
    /** Connecting failed: refused, unreachable, or the connection closed before anything was sent. */
    REFUSED,
    /** The connection was reset or closed before the response (or its body) was complete. */
    RESET,
    /** Connecting, the response head or the body took too long. */
    TIMEOUT,
    /** The instance's answer was not valid HTTP/1.1 (or switched protocols). */
    PROTOCOL;

    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * @return lower-case name, used as metric label
     */
    public String label() {
        return label;
    }
}
