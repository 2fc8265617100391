package io.fngate.registry;

import java.util.Objects;

/**
 * The outcome of an instance registering itself.
 *
 * @param instance the registered instance
 * @param created  whether it is new; false when an earlier registration of the same URL was renewed
 */
public record Registration(InstanceSpec instance, boolean created) {

    /**
     * Checks the parts.
     */
    public Registration {
        Objects.requireNonNull(instance, "instance");
    }
}
