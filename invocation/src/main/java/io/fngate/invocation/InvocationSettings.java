package io.fngate.invocation;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of the invocation path ({@code invocation.*}; see README, "Configuration").
 *
 * @param responseStartTimeout      default wait for the container's response headers, counted from the end of
 *                                  the request body (a request may set its own with {@code NVCF-POLL-SECONDS})
 * @param requestTimeout            global bound on every exchange, streams included
 * @param maxBodyBytes              largest request body accepted; larger bodies get 413
 * @param connectTimeout            TCP connect timeout to an instance
 * @param upstreamIdleTimeout       how long an idle upstream keep-alive connection is kept
 * @param maxIdlePerInstance        idle upstream connections kept per instance
 * @param maxConnectionsPerInstance upstream connections open at once to one instance, in use or idle
 * @param sseKeepAlive              silence on an event stream after which a {@code : keep-alive} comment is sent
 * @param clientWriteTimeout        a client that accepts no byte of a response for this long is disconnected
 * @param requestBodyTimeout        a request body that sends no byte for this long gets 408 and its upstream
 *                                  request is aborted
 * @param responseIdleTimeout       a response body (not an event stream) whose container sends no byte for this
 *                                  long is cut: the client's response is aborted
 * @param trustedProxies            proxies in front whose forwarding headers are extended, not replaced
 * @param upstreamTls               whom to trust for instances reached over {@code https://}
 * @param async                     how results of invocations answered 202 are held until polled
 * @param maxResponseSize           told to containers as {@code NVCF-MAX-RESPONSE-SIZE-BYTES} when set; also
 *                                  caps a held asynchronous result
 */
public record InvocationSettings(Duration responseStartTimeout,
                                 Duration requestTimeout,
                                 long maxBodyBytes,
                                 Duration connectTimeout,
                                 Duration upstreamIdleTimeout,
                                 int maxIdlePerInstance,
                                 int maxConnectionsPerInstance,
                                 Duration sseKeepAlive,
                                 Duration clientWriteTimeout,
                                 Duration requestBodyTimeout,
                                 Duration responseIdleTimeout,
                                 TrustedProxies trustedProxies,
                                 UpstreamTls upstreamTls,
                                 AsyncSettings async,
                                 java.util.OptionalLong maxResponseSize) {

    /** Largest {@code NVCF-POLL-SECONDS} accepted. */
    public static final int MAX_POLL_SECONDS = 3600;

    /**
     * Validates the values.
     */
    public InvocationSettings {
        positive(responseStartTimeout, "response-start-timeout");
        positive(requestTimeout, "request-timeout");
        positive(connectTimeout, "connect-timeout");
        positive(upstreamIdleTimeout, "upstream-idle-timeout");
        positive(sseKeepAlive, "sse-keep-alive");
        positive(clientWriteTimeout, "client-write-timeout");
        positive(requestBodyTimeout, "request-body-timeout");
        positive(responseIdleTimeout, "response-idle-timeout");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(upstreamTls, "upstreamTls");
        Objects.requireNonNull(async, "async");
        Objects.requireNonNull(maxResponseSize, "maxResponseSize");
        if (maxResponseSize.isPresent() && maxResponseSize.getAsLong() < 1) {
            throw new IllegalArgumentException("max-response-size: " + maxResponseSize.getAsLong()
                    + " (expected: >= 1)");
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("max-body-size: " + maxBodyBytes + " (expected: >= 0)");
        }
        if (maxIdlePerInstance < 0) {
            throw new IllegalArgumentException("max-idle-per-instance: " + maxIdlePerInstance + " (expected: >= 0)");
        }
        if (maxConnectionsPerInstance < 1) {
            throw new IllegalArgumentException("max-connections-per-instance: " + maxConnectionsPerInstance
                    + " (expected: >= 1)");
        }
    }

    /**
     * The defaults: 60 s response start, 1 h request, 2 GiB body, 5 s connect, 4 s idle upstream, 64 idle and 1024
     * open connections per instance, 5 s SSE keep-alive, 30 s client write timeout, 30 s request body and 5 min
     * response body silence.
     *
     * @return default settings
     */
    public static InvocationSettings defaults() {
        return builder().build();
    }

    /**
     * @return a builder starting from the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param other how results answered 202 are held
     * @return these settings with {@code other} in place of {@link #async()}
     */
    public InvocationSettings withAsync(AsyncSettings other) {
        return new InvocationSettings(responseStartTimeout, requestTimeout, maxBodyBytes, connectTimeout,
                upstreamIdleTimeout, maxIdlePerInstance, maxConnectionsPerInstance, sseKeepAlive, clientWriteTimeout,
                requestBodyTimeout, responseIdleTimeout, trustedProxies, upstreamTls, other, maxResponseSize);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }

    /**
     * Builds {@link InvocationSettings}, starting from the defaults.
     */
    public static final class Builder {
        private Duration responseStartTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofHours(1);
        private long maxBodyBytes = 2L * 1024 * 1024 * 1024;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration upstreamIdleTimeout = Duration.ofSeconds(4);
        private int maxIdlePerInstance = 64;
        private int maxConnectionsPerInstance = 1024;
        private Duration sseKeepAlive = Duration.ofSeconds(5);
        private Duration clientWriteTimeout = Duration.ofSeconds(30);
        private Duration requestBodyTimeout = Duration.ofSeconds(30);
        private Duration responseIdleTimeout = Duration.ofMinutes(5);
        private TrustedProxies trustedProxies = TrustedProxies.none();
        private UpstreamTls upstreamTls;
        private AsyncSettings async = AsyncSettings.defaults();
        private java.util.OptionalLong maxResponseSize = java.util.OptionalLong.empty();

        private Builder() {
        }

        /**
         * @param v how results of invocations answered 202 are held
         * @return this
         */
        public Builder async(AsyncSettings v) {
            async = v;
            return this;
        }

        /**
         * @param v the largest response a container should send (told to it; caps held results)
         * @return this
         */
        public Builder maxResponseSize(long v) {
            maxResponseSize = java.util.OptionalLong.of(v);
            return this;
        }

        /** @param v see {@link InvocationSettings#upstreamTls()} @return this */
        public Builder upstreamTls(UpstreamTls v) {
            upstreamTls = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#trustedProxies()} @return this */
        public Builder trustedProxies(TrustedProxies v) {
            trustedProxies = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#responseStartTimeout()} @return this */
        public Builder responseStartTimeout(Duration v) {
            responseStartTimeout = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#requestTimeout()} @return this */
        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#maxBodyBytes()} @return this */
        public Builder maxBodyBytes(long v) {
            maxBodyBytes = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#connectTimeout()} @return this */
        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#upstreamIdleTimeout()} @return this */
        public Builder upstreamIdleTimeout(Duration v) {
            upstreamIdleTimeout = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#maxIdlePerInstance()} @return this */
        public Builder maxIdlePerInstance(int v) {
            maxIdlePerInstance = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#maxConnectionsPerInstance()} @return this */
        public Builder maxConnectionsPerInstance(int v) {
            maxConnectionsPerInstance = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#sseKeepAlive()} @return this */
        public Builder sseKeepAlive(Duration v) {
            sseKeepAlive = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#clientWriteTimeout()} @return this */
        public Builder clientWriteTimeout(Duration v) {
            clientWriteTimeout = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#requestBodyTimeout()} @return this */
        public Builder requestBodyTimeout(Duration v) {
            requestBodyTimeout = v;
            return this;
        }

        /** @param v see {@link InvocationSettings#responseIdleTimeout()} @return this */
        public Builder responseIdleTimeout(Duration v) {
            responseIdleTimeout = v;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException naming the key of a bad value
         */
        public InvocationSettings build() {
            return new InvocationSettings(responseStartTimeout, requestTimeout, maxBodyBytes, connectTimeout,
                    upstreamIdleTimeout, maxIdlePerInstance, maxConnectionsPerInstance, sseKeepAlive,
                    clientWriteTimeout, requestBodyTimeout, responseIdleTimeout, trustedProxies,
                    upstreamTls == null ? UpstreamTls.systemDefault() : upstreamTls, async, maxResponseSize);
        }
    }
}
