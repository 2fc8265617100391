package io.fngate.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * A registered function as routing sees it: an id, a human name and its versions.
 *
 * @param id       function id
 * @param name     function name (sent upstream as {@code NVCF-FUNCTION-NAME})
 * @param versions     the versions, in registration order
 * @param maxQueueSize how many requests may wait for a free instance; empty: the gateway's default
 */
public record InferenceFunction(UUID id, String name, List<FunctionVersion> versions, OptionalInt maxQueueSize) {

    /**
     * Copies the list so the value stays immutable and checks that version ids are unique.
     */
    public InferenceFunction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxQueueSize, "maxQueueSize");
        versions = List.copyOf(versions);
        if (versions.stream().map(FunctionVersion::id).distinct().count() != versions.size()) {
            throw new IllegalArgumentException("versions: duplicate version id in function " + id);
        }
    }

    /**
     * A function whose queue bound is the gateway's default.
     *
     * @param id       function id
     * @param name     function name
     * @param versions the versions
     */
    public InferenceFunction(UUID id, String name, List<FunctionVersion> versions) {
        this(id, name, versions, OptionalInt.empty());
    }

    /**
     * Finds a version by id.
     *
     * @param versionId version id
     * @return the version, or empty when this function has no such version
     */
    public Optional<FunctionVersion> version(UUID versionId) {
        for (FunctionVersion v : versions) {
            if (v.id().equals(versionId)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * The versions that have at least one instance able to serve now.
     *
     * @return serving versions, possibly empty
     */
    public List<FunctionVersion> servingVersions() {
        // the dispatcher asks on every request: the common case (all serving) allocates nothing
        for (FunctionVersion v : versions) {
            if (!v.serving()) {
                return versions.stream().filter(FunctionVersion::serving).toList();
            }
        }
        return versions;
    }
}
