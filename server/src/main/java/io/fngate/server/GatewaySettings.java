package io.fngate.server;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

import io.fngate.invocation.InvocationSettings;
import io.fngate.routing.DispatchSettings;
import io.helidon.config.Config;

/**
 * The gateway's configuration keys (see README, "Configuration"), read once at start.
 *
 * @param host       address the public socket binds to
 * @param adminHost  address the admin socket binds to (loopback unless configured)
 * @param publicPort invocation socket port (0 = any free port)
 * @param adminPort  admin socket port (0 = any free port)
 * @param domains    accepted invocation domains; empty accepts any
 * @param invocation             limits and timeouts of the proxy path
 * @param dispatch               queueing, retries and ejection
 * @param maxTcpConnections      client connections the public socket holds at once (more wait to be accepted)
 * @param maxConcurrentRequests  requests the public socket handles at once (more get 503)
 * @param shutdownGrace          how long requests in flight may take to finish on shutdown
 */
record GatewaySettings(String host, String adminHost, int publicPort, int adminPort, List<String> domains,
                       InvocationSettings invocation, DispatchSettings dispatch, int maxTcpConnections,
                       int maxConcurrentRequests, Duration shutdownGrace) {

    static GatewaySettings from(Config root) {
        Config inv = root.get("invocation");
        return new GatewaySettings(
                root.get("server.host").asString().orElse("0.0.0.0"),
                root.get("admin.host").asString().orElse("127.0.0.1"),
                root.get("server.port").asInt().orElse(8080),
                root.get("admin.port").asInt().orElse(9090),
                inv.get("domains").asList(String.class).orElse(List.of()),
                invocation(inv),
                dispatch(root.get("dispatch")),
                limit(root.get("server.max-tcp-connections")),
                limit(root.get("server.max-concurrent-requests")),
                duration(root.get("server.shutdown-grace-period"), Duration.ofSeconds(30)));
    }

    /** A connection limit: the configured one (-1: none), else one derived from the file descriptor limit. */
    private static int limit(Config node) {
        if (node.exists()) {
            int v = node.asInt().orElseThrow(() -> new IllegalArgumentException(node.key() + ": not a number"));
            if (v < -1 || v == 0) {
                throw new IllegalArgumentException(node.key() + ": " + v + " (expected: -1 for none, or > 0)");
            }
            return v;
        }
        java.util.OptionalLong fds = FdBudget.limit();
        return fds.isPresent() ? FdBudget.clientConnections(fds.getAsLong()) : -1;
    }

    /**
     * Whom the gateway trusts for {@code https://} instances: the PEM file at {@code invocation.upstream-tls.ca},
     * else the JDK's CAs.
     *
     * @param inv the {@code invocation} node
     * @return the trust settings
     * @throws IllegalArgumentException when the file cannot be read
     */
    static io.fngate.invocation.UpstreamTls upstreamTls(Config inv) {
        return inv.get("upstream-tls.ca").asString().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> io.fngate.invocation.UpstreamTls.trusting(java.nio.file.Path.of(s)))
                .orElseGet(io.fngate.invocation.UpstreamTls::systemDefault);
    }

    private static InvocationSettings invocation(Config inv) {
        InvocationSettings d = InvocationSettings.defaults();
        try {
            InvocationSettings.Builder b = InvocationSettings.builder()
                    .responseStartTimeout(duration(inv.get("response-start-timeout"), d.responseStartTimeout()))
                    .requestTimeout(duration(inv.get("request-timeout"), d.requestTimeout()))
                    .maxBodyBytes(size(inv.get("max-body-size"), d.maxBodyBytes()))
                    .connectTimeout(duration(inv.get("connect-timeout"), d.connectTimeout()))
                    .upstreamIdleTimeout(duration(inv.get("upstream-idle-timeout"), d.upstreamIdleTimeout()))
                    .maxIdlePerInstance(inv.get("max-idle-per-instance").asInt().orElse(d.maxIdlePerInstance()))
                    .maxConnectionsPerInstance(inv.get("max-connections-per-instance").asInt()
                            .orElse(d.maxConnectionsPerInstance()))
                    .sseKeepAlive(duration(inv.get("sse-keep-alive"), d.sseKeepAlive()))
                    .clientWriteTimeout(duration(inv.get("client-write-timeout"), d.clientWriteTimeout()))
                    .requestBodyTimeout(duration(inv.get("request-body-timeout"), d.requestBodyTimeout()))
                    .responseIdleTimeout(duration(inv.get("response-idle-timeout"), d.responseIdleTimeout()))
                    .trustedProxies(io.fngate.invocation.TrustedProxies.of(inv.get("trusted-proxies")
                            .asList(String.class).orElse(List.of())))
                    .upstreamTls(upstreamTls(inv))
                    .async(async(inv.get("async")));
            if (inv.get("max-response-size").exists()) {
                b.maxResponseSize(size(inv.get("max-response-size"), 0));
            }
            return b.build();
        } catch (io.helidon.config.ConfigException e) {
            throw new IllegalArgumentException(inv.key() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(inv.key().toString()) ? e
                    : new IllegalArgumentException(inv.key() + "." + e.getMessage(), e);
        }
    }

    /** {@code invocation.async.*}; without a results-dir, the gateway picks one under the data directory. */
    private static io.fngate.invocation.AsyncSettings async(Config node) {
        io.fngate.invocation.AsyncSettings d = io.fngate.invocation.AsyncSettings.defaults();
        return new io.fngate.invocation.AsyncSettings(
                node.get("results-dir").asString().map(String::trim).filter(s -> !s.isEmpty())
                        .map(java.nio.file.Path::of),
                size(node.get("memory-budget"), d.memoryBudget()),
                size(node.get("spill-threshold"), d.spillThreshold()),
                size(node.get("max-result-size"), d.maxResultSize()),
                node.get("unpolled-timeout").exists()
                        ? Optional.of(duration(node.get("unpolled-timeout"), Duration.ZERO)) : Optional.empty());
    }

    private static DispatchSettings dispatch(Config node) {
        DispatchSettings d = DispatchSettings.defaults();
        Config ejection = node.get("ejection");
        try {
            return new DispatchSettings(
                    node.get("max-queue-size").asInt().orElse(d.maxQueueSize()),
                    duration(node.get("retry-after"), d.retryAfter()),
                    node.get("connect-retries").asInt().orElse(d.connectRetries()),
                    ejection.get("consecutive-failures").asInt().orElse(d.ejectAfter()),
                    duration(ejection.get("base-time"), d.ejectionTime()),
                    duration(ejection.get("max-time"), d.maxEjectionTime()),
                    ejection.get("max-share").asDouble().orElse(d.maxEjectedShare()));
        } catch (io.helidon.config.ConfigException e) {
            throw new IllegalArgumentException(node.key() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.key() + "." + e.getMessage(), e);
        }
    }

    /** ISO-8601 ({@code PT30S}) or a number with a unit ({@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}). */
    static Duration duration(Config node, Duration fallback) {
        if (!node.exists()) {
            return fallback;
        }
        String v = node.asString().get().trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(node.key() + ": " + v + " (expected: PT30S, 30s, 500ms, 2m or 1h)");
        }
    }

    /** Bytes as a number, optionally with KiB, MiB or GiB (or KB, MB, GB as powers of 1000). */
    static long size(Config node, long fallback) {
        if (!node.exists()) {
            return fallback;
        }
        String v = node.asString().get().trim();
        String[][] units = {{"KiB", "1024"}, {"MiB", "1048576"}, {"GiB", "1073741824"},
                {"KB", "1000"}, {"MB", "1000000"}, {"GB", "1000000000"}};
        try {
            for (String[] unit : units) {
                if (v.endsWith(unit[0])) {
                    return Long.parseLong(v.substring(0, v.length() - unit[0].length()).trim())
                            * Long.parseLong(unit[1]);
                }
            }
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(node.key() + ": " + v + " (expected: bytes, or a number with KiB, MiB "
                    + "or GiB)");
        }
    }
}
