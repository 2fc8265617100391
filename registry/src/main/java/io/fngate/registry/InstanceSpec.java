package io.fngate.registry;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One instance of a deployment as stored.
 *
 * @param id      instance id, stable for the life of the instance
 * @param url     base URL, absolute http
 * @param kind    how the instance joined
 * @param ttl     for registered instances, how long a registration lives without a heartbeat; empty: forever
 * @param addedAt when it joined
 */
record InstanceSpec(UUID id, URI url, Kind kind, Optional<Duration> ttl, Instant addedAt) {

    InstanceSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(addedAt, "addedAt");
    }

    /**
     * How an instance joined a deployment.
     */
    enum Kind {
        /** Listed in the deployment (POST/PUT of the deployment, or the configuration file). */
        DEPLOYMENT,
        /** Registered itself through the instances endpoint (orchestrators, sidecars). */
        REGISTERED
    }
}
