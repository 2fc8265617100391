package io.fngate.invocation;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of the invocation path.
 *
 * @param responseStartTimeout default wait for the container's response headers, counted from the end of the
 *                             request body (a request may set its own with {@code NVCF-POLL-SECONDS})
 * @param requestTimeout       global bound on every exchange, streams included
 * @param maxBodyBytes         largest request body accepted; larger bodies get 413
 * @param connectTimeout       TCP connect timeout to an instance
 * @param upstreamIdleTimeout  how long an idle upstream keep-alive connection is kept
 * @param maxIdlePerInstance   idle upstream connections kept per instance
 * @param sseKeepAlive         silence on an event stream after which a {@code : keep-alive} comment is sent
 * @param clientWriteTimeout   a client that accepts no byte of a response for this long is disconnected
 */
public record InvocationSettings(Duration responseStartTimeout,
                                 Duration requestTimeout,
                                 long maxBodyBytes,
                                 Duration connectTimeout,
                                 Duration upstreamIdleTimeout,
                                 int maxIdlePerInstance,
                                 Duration sseKeepAlive,
                                 Duration clientWriteTimeout) {

    /** Largest {@code NVCF-POLL-SECONDS} accepted. */
    public static final int MAX_POLL_SECONDS = 3600;

    /**
     * Validates the values.
     */
    public InvocationSettings {
        positive(responseStartTimeout, "responseStartTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(connectTimeout, "connectTimeout");
        positive(upstreamIdleTimeout, "upstreamIdleTimeout");
        positive(sseKeepAlive, "sseKeepAlive");
        positive(clientWriteTimeout, "clientWriteTimeout");
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 0)");
        }
        if (maxIdlePerInstance < 0) {
            throw new IllegalArgumentException("maxIdlePerInstance: " + maxIdlePerInstance + " (expected: >= 0)");
        }
    }

    /**
     * Settings with the default client write timeout.
     */
    public InvocationSettings(Duration responseStartTimeout, Duration requestTimeout, long maxBodyBytes,
                              Duration connectTimeout, Duration upstreamIdleTimeout, int maxIdlePerInstance,
                              Duration sseKeepAlive) {
        this(responseStartTimeout, requestTimeout, maxBodyBytes, connectTimeout, upstreamIdleTimeout,
                maxIdlePerInstance, sseKeepAlive, Duration.ofSeconds(30));
    }

    /**
     * The defaults: 60 s response start, 1 h request, 2 GiB body, 5 s connect, 4 s idle upstream, 64 idle per
     * instance, 5 s SSE keep-alive, 30 s client write timeout.
     *
     * @return default settings
     */
    public static InvocationSettings defaults() {
        return new InvocationSettings(Duration.ofSeconds(60), Duration.ofHours(1), 2L * 1024 * 1024 * 1024,
                Duration.ofSeconds(5), Duration.ofSeconds(4), 64, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }
}
