package io.fngate.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway knows about one instance at this moment: its active health checks, its registration lease and
 * the dispatcher's view of it. Measured, never stored.
 *
 * @param health        health from the active checks ({@link InstanceHealth#UNCHECKED} without a health check)
 * @param lapsed        its registration lapsed without a heartbeat; it no longer serves and is being removed
 * @param expiresAt     when its registration lapses without a heartbeat; empty for instances without a TTL
 * @param lastCheckedAt when it was last health-checked
 * @param lastCheckError why the last check failed; empty when it passed or none ran
 * @param load          in-flight requests and passive health, as the dispatcher sees them; empty before any request
 */
public record InstanceState(InstanceHealth health, boolean lapsed, Optional<Instant> expiresAt,
                            Optional<Instant> lastCheckedAt, Optional<String> lastCheckError,
                            Optional<InstanceLoad> load) {

    /**
     * Checks the parts.
     */
    public InstanceState {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastCheckedAt, "lastCheckedAt");
        Objects.requireNonNull(lastCheckError, "lastCheckError");
        Objects.requireNonNull(load, "load");
    }
}
