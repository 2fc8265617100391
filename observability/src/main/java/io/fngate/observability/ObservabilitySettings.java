package io.fngate.observability;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The {@code observability.*} configuration keys (see README, "Observability").
 *
 * @param metrics        whether invocations are measured ({@code observability.metrics.enabled}); when off,
 *                       {@code /metrics} still serves the JVM and gauge metrics
 * @param accessLog      where access-log lines go ({@code observability.access-log.target})
 * @param accessLogQueue records that may wait for the access-log writer before lines are dropped
 *                       ({@code observability.access-log.queue-size})
 */
public record ObservabilitySettings(boolean metrics, Target accessLog, int accessLogQueue) {

    /**
     * Checks the parts.
     */
    public ObservabilitySettings {
        Objects.requireNonNull(accessLog, "accessLog");
        if (accessLogQueue < 1) {
            throw new IllegalArgumentException("accessLogQueue: " + accessLogQueue + " (expected: > 0)");
        }
    }

    /**
     * @return metrics on, access log to stdout, a queue of 16384 records
     */
    public static ObservabilitySettings defaults() {
        return new ObservabilitySettings(true, Target.STDOUT, 16384);
    }

    /**
     * @param node the {@code observability} node (missing: defaults)
     * @return the settings
     * @throws IllegalArgumentException naming the key when a value is invalid
     */
    public static ObservabilitySettings create(Config node) {
        ObservabilitySettings d = defaults();
        Config target = node.get("access-log.target");
        Config queue = node.get("access-log.queue-size");
        int size = queue.asInt().orElse(d.accessLogQueue());
        if (size < 1) {
            throw new IllegalArgumentException(queue.key() + ": " + size + " (expected: > 0)");
        }
        return new ObservabilitySettings(node.get("metrics.enabled").asBoolean().orElse(d.metrics()),
                target.asString().map(v -> Target.parse(v, target.key().toString())).orElse(d.accessLog()), size);
    }

    /**
     * Where access-log lines go.
     *
     * @param kind where
     * @param file the file, for {@link Kind#FILE}
     */
    public record Target(Kind kind, Optional<Path> file) {
        /** Standard output. */
        public static final Target STDOUT = new Target(Kind.STDOUT, Optional.empty());
        /** Standard error. */
        public static final Target STDERR = new Target(Kind.STDERR, Optional.empty());
        /** Nowhere: no access log. */
        public static final Target OFF = new Target(Kind.OFF, Optional.empty());

        /**
         * Checks the parts.
         */
        public Target {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(file, "file");
            if ((kind == Kind.FILE) != file.isPresent()) {
                throw new IllegalArgumentException("file: a path exactly for kind FILE");
            }
        }

        /**
         * @param value {@code stdout}, {@code stderr}, {@code off} or {@code file:<path>}
         * @param key   the configuration key, for the error message
         * @return the target
         * @throws IllegalArgumentException naming the key when the value is none of those
         */
        public static Target parse(String value, String key) {
            String v = value.trim();
            return switch (v) {
            case "stdout" -> STDOUT;
            case "stderr" -> STDERR;
            case "off" -> OFF;
            default -> {
                if (v.startsWith("file:") && v.length() > "file:".length()) {
                    yield new Target(Kind.FILE, Optional.of(Path.of(v.substring("file:".length()))));
                }
                throw new IllegalArgumentException(key + ": " + value
                        + " (expected: stdout, stderr, off or file:<path>)");
            }
            };
        }

        /**
         * Kinds of target.
         */
        public enum Kind {
            /** Standard output. */
            STDOUT,
            /** Standard error. */
            STDERR,
            /** A file, appended to. */
            FILE,
            /** No access log. */
            OFF
        }
    }
}
