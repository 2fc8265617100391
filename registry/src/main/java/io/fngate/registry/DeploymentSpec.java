package io.fngate.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A version's deployment as stored: the concurrency limit and the instances (configured with the deployment
 * or registered by the instances themselves).
 *
 * @param maxRequestConcurrency requests one instance accepts at once; 0 when the deployment did not say, and the
 *                              registry's default applies (resolved when the routing view is built)
 * @param createdAt             when the deployment was created
 * @param updatedAt             when it was last replaced; the status grace period counts from here
 * @param instances             instances, in the order they were added
 */
public record DeploymentSpec(int maxRequestConcurrency, Instant createdAt, Instant updatedAt, List<InstanceSpec> instances) {

    /**
     * Checks the parts and copies the list.
     */
    public DeploymentSpec {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        instances = List.copyOf(instances);
        if (maxRequestConcurrency < 0 || maxRequestConcurrency > FunctionVersion.MAX_REQUEST_CONCURRENCY) {
            throw new IllegalArgumentException("maxRequestConcurrency: " + maxRequestConcurrency);
        }
    }

    /** The limit in force: the deployment's own, else the registry's default. */
    int concurrency(int defaultConcurrency) {
        return maxRequestConcurrency > 0 ? maxRequestConcurrency : defaultConcurrency;
    }

    /**
     * @param instanceId an instance id
     * @return the instance, when the deployment has it
     */
    public Optional<InstanceSpec> instance(UUID instanceId) {
        return instances.stream().filter(i -> i.id().equals(instanceId)).findFirst();
    }

    DeploymentSpec with(InstanceSpec instance) {
        List<InstanceSpec> changed = new ArrayList<>(instances.stream()
                .filter(i -> !i.id().equals(instance.id())).toList());
        changed.add(instance);
        return new DeploymentSpec(maxRequestConcurrency, createdAt, updatedAt, changed);
    }

    DeploymentSpec without(UUID instanceId) {
        return new DeploymentSpec(maxRequestConcurrency, createdAt, updatedAt,
                instances.stream().filter(i -> !i.id().equals(instanceId)).toList());
    }
}
