package io.fngate.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a version's instances are health-checked: an HTTP GET of {@code uri} on each instance's host.
 *
 * @param uri                path (and query) to request, starts with /
 * @param port               port to check; 0 means the instance's own port
 * @param timeout            time allowed for an answer; empty means the configured default
 * @param expectedStatusCode the status a healthy instance answers
 */
public record HealthSpec(String uri, int port, Optional<Duration> timeout, int expectedStatusCode) {

    /**
     * Checks the parts.
     */
    public HealthSpec {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(timeout, "timeout");
    }
}
