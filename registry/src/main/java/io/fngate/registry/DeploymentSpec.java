package io.fngate.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.json.JsonObject;

/**
 * A version's deployment as stored: the concurrency limit, NVCF's deployment specifications and the instances
 * (listed in a specification or registered by the instances themselves).
 * <p>
 * fngate serves one set of instances per version: the instances of every specification together, with one
 * per-instance limit (the specifications that set {@code maxRequestConcurrency} must agree, see
 * {@link DeploymentDraft}).
 *
 * @param maxRequestConcurrency requests one instance accepts at once; 0 when the deployment did not say, and the
 *                              registry's default applies (resolved when the routing view is built)
 * @param specifications        NVCF's deployment specifications as sent (their kept fields,
 *                              {@link NvcfAttributes#SPECIFICATION}, and {@code maxRequestConcurrency} when given);
 *                              their instances are the instances whose {@link InstanceSpec#specification()} points here
 * @param createdAt             when the deployment was created
 * @param updatedAt             when it was last replaced; the status grace period counts from here
 * @param instances             instances, in the order they were added
 */
public record DeploymentSpec(int maxRequestConcurrency, List<JsonObject> specifications, Instant createdAt,
                             Instant updatedAt, List<InstanceSpec> instances) {

    /**
     * Checks the parts and copies the lists.
     */
    public DeploymentSpec {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        specifications = List.copyOf(specifications);
        instances = List.copyOf(instances);
        if (maxRequestConcurrency < 0 || maxRequestConcurrency > FunctionVersion.MAX_REQUEST_CONCURRENCY) {
            throw new IllegalArgumentException("maxRequestConcurrency: " + maxRequestConcurrency);
        }
        for (InstanceSpec i : instances) {
            if (i.specification().isPresent() && i.specification().getAsInt() >= specifications.size()) {
                throw new IllegalArgumentException("instance " + i.id() + ": specification "
                        + i.specification().getAsInt() + " of " + specifications.size());
            }
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
        return new DeploymentSpec(maxRequestConcurrency, specifications, createdAt, updatedAt, changed);
    }

    DeploymentSpec without(UUID instanceId) {
        return new DeploymentSpec(maxRequestConcurrency, specifications, createdAt, updatedAt,
                instances.stream().filter(i -> !i.id().equals(instanceId)).toList());
    }
}
