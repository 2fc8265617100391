package io.fngate.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The registry at one moment, for reading: the stored functions with their versions, deployments and instances,
 * each version's status and each instance's measured state. Taking one never waits and never blocks a writer.
 * <p>
 * Functions, versions and statuses are one consistent snapshot; an instance's lease, last health check and load
 * ({@link #instance}) are read live, as they change without a snapshot.
 */
public final class RegistrySnapshot {
    private final RegistryState state;
    private final RegistryCore core;
    private final Function<UUID, Optional<HealthMonitor.LastCheck>> lastCheck;
    private final InstanceLoad.Source load;

    RegistrySnapshot(RegistryState state, RegistryCore core,
                     Function<UUID, Optional<HealthMonitor.LastCheck>> lastCheck, InstanceLoad.Source load) {
        this.state = state;
        this.core = core;
        this.lastCheck = lastCheck;
        this.load = load;
    }

    /**
     * @return every function, oldest first (then by id)
     */
    public List<FunctionSpec> functions() {
        return state.functions().values().stream()
                .sorted(Comparator.comparing(FunctionSpec::createdAt).thenComparing(FunctionSpec::id))
                .toList();
    }

    /**
     * @param functionId a function id
     * @return the function, when there is one
     */
    public Optional<FunctionSpec> find(UUID functionId) {
        return state.function(functionId);
    }

    /**
     * @param functionId a function id
     * @return the function
     * @throws RegistryException {@link RegistryException.Kind#FUNCTION_NOT_FOUND}
     */
    public FunctionSpec function(UUID functionId) {
        return state.function(functionId).orElseThrow(() -> Lookups.functionNotFound(functionId));
    }

    /**
     * @param functionId a function id
     * @param versionId  one of its version ids
     * @return the version
     * @throws RegistryException {@link RegistryException.Kind#FUNCTION_NOT_FOUND} or
     *                           {@link RegistryException.Kind#VERSION_NOT_FOUND}
     */
    public VersionSpec version(UUID functionId, UUID versionId) {
        return Lookups.version(function(functionId), versionId);
    }

    /**
     * @param functionId a function id
     * @param versionId  one of its version ids
     * @return the version's deployment
     * @throws RegistryException as {@link #version}, or {@link RegistryException.Kind#DEPLOYMENT_NOT_FOUND}
     */
    public DeploymentSpec deployment(UUID functionId, UUID versionId) {
        return Lookups.deployment(version(functionId, versionId));
    }

    /**
     * @param version a version of this snapshot
     * @return its status and instance counts
     */
    public VersionState state(VersionSpec version) {
        return state.version(version.id());
    }

    /**
     * @param deployment a deployment
     * @return the per-instance concurrency limit in force: its own, else the gateway's default
     */
    public int concurrency(DeploymentSpec deployment) {
        return deployment.concurrency(core.defaultConcurrency());
    }

    /**
     * @param version  the version the instance belongs to
     * @param instance one of its deployment's instances
     * @return what is known of the instance now
     */
    public InstanceState instance(VersionSpec version, InstanceSpec instance) {
        Optional<HealthMonitor.LastCheck> check = lastCheck.apply(instance.id());
        return new InstanceState(state.health(version, instance), state.lapsed().contains(instance.id()),
                instance.ttl().flatMap(t -> core.leaseExpiry(instance.id())),
                check.map(HealthMonitor.LastCheck::at),
                check.map(HealthMonitor.LastCheck::error).filter(e -> !e.isEmpty()),
                load.load(version.id(), version.address(instance)));
    }
}
