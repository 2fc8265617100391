package io.fngate.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the dispatcher knows about one instance of a version at this moment: requests in flight and passive
 * outlier detection. Shown in the management API's instance view beside the active health checks.
 * <p>
 * Not decided by the registry: the dispatcher (routing module) reports it through an {@link InstanceLoad.Source}.
 *
 * @param inFlight            requests holding a slot of the instance now
 * @param consecutiveFailures connect failures and gateway errors in a row, since its last success
 * @param ejectedUntil        when an ejected instance returns to the rotation; empty when not ejected
 */
public record InstanceLoad(int inFlight, int consecutiveFailures, Optional<Instant> ejectedUntil) {

    /**
     * Checks the parts.
     */
    public InstanceLoad {
        Objects.requireNonNull(ejectedUntil, "ejectedUntil");
    }

    /**
     * Reports the load of instances, looked up by version and address.
     */
    @FunctionalInterface
    public interface Source {
        /** Knows nothing about any instance. */
        Source NONE = (versionId, instance) -> Optional.empty();

        /**
         * @param versionId the version the instance serves
         * @param instance  the instance's address
         * @return its load, or empty when nothing is known (no request has gone to it yet)
         */
        Optional<InstanceLoad> load(java.util.UUID versionId, Instance instance);
    }
}
