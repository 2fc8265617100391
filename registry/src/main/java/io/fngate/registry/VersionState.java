package io.fngate.registry;

import java.util.Objects;

/**
 * A version's status and the instance counts it follows from, at one moment.
 *
 * @param status  life-cycle status
 * @param live    instances of its deployment whose registration has not lapsed (0 without a deployment)
 * @param serving live instances routing may pick now (healthy, or not checked)
 */
public record VersionState(VersionStatus status, int live, int serving) {

    /**
     * Checks the parts.
     */
    public VersionState {
        Objects.requireNonNull(status, "status");
        if (live < 0 || serving < 0 || serving > live) {
            throw new IllegalArgumentException("live " + live + ", serving " + serving);
        }
    }
}
