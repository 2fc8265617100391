package io.fngate.registry;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One version of a function and the instances its deployment runs.
 *
 * @param id        version id
 * @param instances instances serving this version; empty when the version is not deployed
 */
public record FunctionVersion(UUID id, List<Instance> instances) {

    /**
     * Copies the list so the value stays immutable.
     */
    public FunctionVersion {
        Objects.requireNonNull(id, "id");
        instances = List.copyOf(instances);
    }

    /**
     * Whether any instance serves this version.
     *
     * @return true when deployed with at least one instance
     */
    public boolean deployed() {
        return !instances.isEmpty();
    }
}
