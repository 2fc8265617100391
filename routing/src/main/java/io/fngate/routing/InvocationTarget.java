package io.fngate.routing;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a request asks for: a function and, optionally, one of its versions.
 */
public final class InvocationTarget implements ParsedTarget {
    private final UUID functionId;
    private final UUID versionId;

    private InvocationTarget(UUID functionId, UUID versionId) {
        this.functionId = Objects.requireNonNull(functionId, "functionId");
        this.versionId = versionId;
    }

    /**
     * Any deployed version of a function.
     *
     * @param functionId function id
     * @return target
     */
    public static InvocationTarget of(UUID functionId) {
        return new InvocationTarget(functionId, null);
    }

    /**
     * One specific version of a function.
     *
     * @param functionId function id
     * @param versionId  version id
     * @return target
     */
    public static InvocationTarget of(UUID functionId, UUID versionId) {
        return new InvocationTarget(functionId, Objects.requireNonNull(versionId, "versionId"));
    }

    /**
     * @return the function id
     */
    public UUID functionId() {
        return functionId;
    }

    /**
     * @return the version id when the request named one
     */
    public Optional<UUID> versionId() {
        return Optional.ofNullable(versionId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvocationTarget t
                && t.functionId.equals(functionId)
                && Objects.equals(t.versionId, versionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(functionId, versionId);
    }

    @Override
    public String toString() {
        return versionId == null ? functionId.toString() : functionId + "/" + versionId;
    }
}
