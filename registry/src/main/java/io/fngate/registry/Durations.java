package io.fngate.registry;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import io.helidon.config.Config;

/**
 * Reads durations written as ISO-8601 ({@code PT30S}) or as a number with a unit ({@code 30s}, {@code 500ms},
 * {@code 2m}, {@code 1h}), the same forms the server's other keys accept.
 */
final class Durations {
    private Durations() {
    }

    static Duration config(Config node, Duration fallback) {
        if (!node.exists()) {
            return fallback;
        }
        String value = node.asString().get();
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.key() + ": " + value + " (expected: PT30S, 30s, 500ms, 2m or 1h)");
        }
    }

    /** Parses either form; throws IllegalArgumentException when it is neither or negative. */
    static Duration parse(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            } else {
                long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
                d = switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new IllegalArgumentException(text);
                };
            }
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(text, e);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(text);
        }
        return d;
    }
}
