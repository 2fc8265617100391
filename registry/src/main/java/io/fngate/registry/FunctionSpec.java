package io.fngate.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A function as stored: everything the management API accepted, nothing measured at run time (health,
 * leases). Immutable; changes make new values.
 *
 * @param id          function id
 * @param name        function name, shared by its versions
 * @param createdAt   when the function was created
 * @param readOnly    declared in the configuration file: the management API cannot change it
 * @param maxQueueSize requests that may wait for a free instance; empty: the gateway's default
 * @param versions    versions in creation order
 */
public record FunctionSpec(UUID id, String name, Instant createdAt, boolean readOnly, OptionalInt maxQueueSize,
                           List<VersionSpec> versions) {
    /** The largest per-function queue bound accepted. */
    public static final int MAX_QUEUE_SIZE = 1_000_000;
    /** NVCF's rule for function names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    /**
     * Checks the parts and copies the lists.
     */
    public FunctionSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(maxQueueSize, "maxQueueSize");
        versions = List.copyOf(versions);
    }

    /**
     * @param versionId a version id
     * @return the version, when the function has it
     */
    public Optional<VersionSpec> version(UUID versionId) {
        return versions.stream().filter(v -> v.id().equals(versionId)).findFirst();
    }

    /** This function with the version added, or replacing the one with the same id. */
    FunctionSpec with(VersionSpec version) {
        List<VersionSpec> changed = new ArrayList<>(versions);
        int at = indexOf(version.id());
        if (at < 0) {
            changed.add(version);
        } else {
            changed.set(at, version);
        }
        return new FunctionSpec(id, name, createdAt, readOnly, maxQueueSize, changed);
    }

    FunctionSpec without(UUID versionId) {
        return new FunctionSpec(id, name, createdAt, readOnly, maxQueueSize,
                versions.stream().filter(v -> !v.id().equals(versionId)).toList());
    }

    FunctionSpec described(String newName, OptionalInt newQueueSize) {
        return new FunctionSpec(id, newName, createdAt, readOnly, newQueueSize, versions);
    }

    /**
     * Checks a function name against NVCF's rule: 1 to 128 letters, digits, {@code -} or {@code _}, starting with
     * a letter or digit.
     *
     * @param name  the name
     * @param field the field it came from, for the message
     * @throws IllegalArgumentException {@code <field>: <name> (expected: ...)}
     */
    public static void checkName(String name, String field) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + ": " + name + " (expected: 1 to 128 letters, digits, - or _, "
                    + "starting with a letter or digit)");
        }
    }

    private int indexOf(UUID versionId) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).id().equals(versionId)) {
                return i;
            }
        }
        return -1;
    }
}
