package io.fngate.edge;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import io.helidon.config.Config;

/**
 * Limits and timeouts of the {@link Edge}, read once at start.
 * <p>
 * Keys under the node given to {@link #create(Config)} (durations ISO-8601 {@code PT10S} or {@code 500ms},
 * {@code 10s}, {@code 2m}, {@code 1h}; sizes bytes or {@code KiB}/{@code MiB}):
 * <table>
 *     <caption>edge keys</caption>
 *     <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *     <tr><td>{@code request-head-timeout}</td><td>10s</td><td>a request head (request line and headers) must be
 *     complete this long after its first byte, else 408 and close</td></tr>
 *     <tr><td>{@code idle-timeout}</td><td>75s</td><td>a connection with no request in progress (before its
 *     first byte, between keep-alive requests, HTTP/2 without open streams) is closed after this</td></tr>
 *     <tr><td>{@code max-request-line}</td><td>8KiB</td><td>longest request line, else 414</td></tr>
 *     <tr><td>{@code max-header-bytes}</td><td>16KiB</td><td>largest header section, else 431</td></tr>
 *     <tr><td>{@code max-header-count}</td><td>100</td><td>most header fields, else 431</td></tr>
 * </table>
 * Why these defaults: 10 s is ample for any client that is not deliberately slow (a head is normally one
 * packet) while a slowloris needs a new connection every 10 s; 75 s outlives the 60 s idle timeout of the
 * common cloud load balancers, so the balancer, not fngate, closes an idle pooled connection and never sends a
 * request into one that is being closed (it is also nginx's keep-alive default); 8 KiB, 16 KiB and 100 are the
 * per-line, whole-section and field-count limits of nginx, Helidon and Apache respectively, which real clients
 * stay far below.
 *
 * @param requestHeadTimeout time from the first byte of a request head to its end
 * @param idleTimeout        time a connection may wait for the first byte of a request
 * @param maxRequestLine     longest request line in bytes (without CRLF)
 * @param maxHeaderBytes     largest header section in bytes (each field line with its CRLF)
 * @param maxHeaderCount     most header fields in one request
 */
public record EdgeSettings(Duration requestHeadTimeout, Duration idleTimeout, int maxRequestLine,
                           int maxHeaderBytes, int maxHeaderCount) {
    private static final Duration MAX_TIMEOUT = Duration.ofHours(24);
    private static final int MAX_BYTES = 1024 * 1024;
    private static final EdgeSettings DEFAULTS = new EdgeSettings(Duration.ofSeconds(10), Duration.ofSeconds(75),
            8 * 1024, 16 * 1024, 100);

    /**
     * Validates the values; messages name the configuration key.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public EdgeSettings {
        timeout("request-head-timeout", requestHeadTimeout);
        timeout("idle-timeout", idleTimeout);
        range("max-request-line", maxRequestLine, 64, MAX_BYTES);
        range("max-header-bytes", maxHeaderBytes, 256, MAX_BYTES);
        range("max-header-count", maxHeaderCount, 1, 10_000);
    }

    /**
     * @return the defaults (see the class description)
     */
    public static EdgeSettings create() {
        return DEFAULTS;
    }

    /**
     * Reads the settings from a configuration node; absent keys keep their defaults.
     *
     * @param node the edge's node, e.g. {@code server.edge}
     * @return the settings
     * @throws IllegalArgumentException naming the full key when a value is malformed or out of range
     */
    public static EdgeSettings create(Config node) {
        Objects.requireNonNull(node, "node");
        try {
            return new EdgeSettings(
                    duration(node.get("request-head-timeout"), DEFAULTS.requestHeadTimeout),
                    duration(node.get("idle-timeout"), DEFAULTS.idleTimeout),
                    size(node.get("max-request-line"), DEFAULTS.maxRequestLine),
                    size(node.get("max-header-bytes"), DEFAULTS.maxHeaderBytes),
                    size(node.get("max-header-count"), DEFAULTS.maxHeaderCount));
        } catch (IllegalArgumentException e) {
            String prefix = node.key().toString();
            throw new IllegalArgumentException(prefix.isEmpty() ? e.getMessage() : prefix + "." + e.getMessage(), e);
        }
    }

    private static void timeout(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: > 0 and <= 24h)");
        }
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: " + min + ".." + max + ")");
        }
    }

    /** ISO-8601 ({@code PT30S}) or a number with a unit ({@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}). */
    private static Duration duration(Config node, Duration fallback) {
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
            throw new IllegalArgumentException(node.name() + ": " + v + " (expected: PT10S, 10s, 500ms, 2m or 1h)");
        }
    }

    /** A count, or bytes with an optional {@code KiB} or {@code MiB}. */
    private static int size(Config node, int fallback) {
        if (!node.exists()) {
            return fallback;
        }
        String v = node.asString().get().trim();
        try {
            long n;
            if (v.endsWith("KiB")) {
                n = Long.parseLong(v.substring(0, v.length() - 3).trim()) * 1024;
            } else if (v.endsWith("MiB")) {
                n = Long.parseLong(v.substring(0, v.length() - 3).trim()) * 1024 * 1024;
            } else {
                n = Long.parseLong(v);
            }
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(node.name() + ": " + v + " (expected: a number, or bytes with KiB or "
                    + "MiB)");
        }
    }
}
