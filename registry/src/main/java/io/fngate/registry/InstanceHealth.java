package io.fngate.registry;

/**
 * What the gateway knows about an instance's health.
 */
public enum InstanceHealth {
    /** Checked, but not yet healthy nor failed often enough to be unhealthy (a new instance). */
    UNKNOWN,
    /** Passes its checks. */
    HEALTHY,
    /** Failed its last checks; out of the rotation until it passes enough again. */
    UNHEALTHY,
    /** Its version has no health check: served as long as it is deployed. */
    UNCHECKED;

    /**
     * @return whether routing may send requests to an instance in this state
     */
    public boolean routable() {
        return this == HEALTHY || this == UNCHECKED;
    }
}
