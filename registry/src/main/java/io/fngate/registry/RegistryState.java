package io.fngate.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One immutable snapshot of the registry: the stored functions, the health of checked instances and the
 * routing view built from both. Readers take the current snapshot and never wait; writers build a new one.
 * <p>
 * Registration leases are not part of the snapshot (heartbeats would rebuild it constantly): the view is built
 * from the lease table as it was at {@link #builtAt()}, and {@link #nextChange()} says when the view must be
 * rebuilt because a lease may lapse or a grace period ends.
 */
final class RegistryState {
    private final Map<UUID, FunctionSpec> functions;
    private final Map<UUID, InstanceHealth> health;
    private final Map<UUID, InferenceFunction> view;
    private final Map<UUID, VersionState> versions;
    private final Set<UUID> lapsed;
    private final Instant builtAt;
    private final Instant nextChange;

    private RegistryState(Map<UUID, FunctionSpec> functions, Map<UUID, InstanceHealth> health,
                          Map<UUID, InferenceFunction> view, Map<UUID, VersionState> versions, Set<UUID> lapsed,
                          Instant builtAt, Instant nextChange) {
        this.functions = functions;
        this.health = health;
        this.view = view;
        this.versions = versions;
        this.lapsed = lapsed;
        this.builtAt = builtAt;
        this.nextChange = nextChange;
    }

    /**
     * Builds a snapshot; health entries of instances that no longer exist are dropped.
     *
     * @param leases             lease expiry by instance id (instances without a TTL have none)
     * @param defaultConcurrency per-instance limit of deployments that set none
     */
    static RegistryState build(Map<UUID, FunctionSpec> functions, Map<UUID, InstanceHealth> health,
                               Function<UUID, Instant> leases, Instant now, Duration grace, int defaultConcurrency) {
        Map<UUID, InstanceHealth> kept = new HashMap<>();
        Map<UUID, InferenceFunction> view = new HashMap<>();
        Map<UUID, VersionState> states = new HashMap<>();
        Set<UUID> lapsed = new HashSet<>();
        Instant next = Instant.MAX;
        for (FunctionSpec f : functions.values()) {
            List<FunctionVersion> versions = new ArrayList<>();
            for (VersionSpec v : f.versions()) {
                List<Instance> serving = new ArrayList<>();
                int live = 0;
                for (InstanceSpec i : v.deployment().map(DeploymentSpec::instances).orElse(List.of())) {
                    InstanceHealth h = health.get(i.id());
                    if (h != null) {
                        kept.put(i.id(), h);
                    }
                    Instant expiry = leases.apply(i.id());
                    if (expiry != null && !expiry.isAfter(now)) {
                        lapsed.add(i.id());
                        continue;
                    }
                    if (expiry != null && expiry.isBefore(next)) {
                        next = expiry;
                    }
                    live++;
                    if (health(v, h).routable()) {
                        serving.add(v.address(i));
                    }
                }
                VersionStatus status = status(v, live, serving.size(), now, grace);
                states.put(v.id(), new VersionState(status, live, serving.size()));
                if (status == VersionStatus.DEPLOYING) {
                    Instant graceEnds = v.deployment().get().updatedAt().plus(grace);
                    if (graceEnds.isBefore(next)) {
                        next = graceEnds;
                    }
                }
                versions.add(new FunctionVersion(v.id(), serving, status, v.inferenceUrl(), v.functionType(),
                        v.deployment().map(d -> d.concurrency(defaultConcurrency)).orElse(defaultConcurrency)));
            }
            view.put(f.id(), new InferenceFunction(f.id(), f.name(), versions, f.maxQueueSize()));
        }
        return new RegistryState(Map.copyOf(functions), Map.copyOf(kept), Map.copyOf(view), Map.copyOf(states),
                Set.copyOf(lapsed), now, next);
    }

    /** The health of an instance of a version: UNCHECKED without a health check, UNKNOWN before any result. */
    static InstanceHealth health(VersionSpec version, InstanceHealth known) {
        if (version.health().isEmpty()) {
            return InstanceHealth.UNCHECKED;
        }
        return known == null ? InstanceHealth.UNKNOWN : known;
    }

    static VersionStatus status(VersionSpec v, int live, int serving, Instant now, Duration grace) {
        if (v.deployment().isEmpty()) {
            return VersionStatus.INACTIVE;
        }
        if (serving > 0) {
            return serving == live ? VersionStatus.ACTIVE : VersionStatus.DEGRADED;
        }
        return now.isBefore(v.deployment().get().updatedAt().plus(grace)) ? VersionStatus.DEPLOYING
                : VersionStatus.ERROR;
    }

    Map<UUID, FunctionSpec> functions() {
        return functions;
    }

    Optional<FunctionSpec> function(UUID id) {
        return Optional.ofNullable(functions.get(id));
    }

    Map<UUID, InstanceHealth> health() {
        return health;
    }

    InstanceHealth health(VersionSpec version, InstanceSpec instance) {
        return health(version, health.get(instance.id()));
    }

    Map<UUID, InferenceFunction> view() {
        return view;
    }

    /** A version's status and instance counts; INACTIVE with none for an unknown version. */
    VersionState version(UUID versionId) {
        return versions.getOrDefault(versionId, new VersionState(VersionStatus.INACTIVE, 0, 0));
    }

    /** Instances whose lease had lapsed when this snapshot was built (to be removed from the store). */
    Set<UUID> lapsed() {
        return lapsed;
    }

    Instant builtAt() {
        return builtAt;
    }

    /** The earliest moment the view may change without a write: a lease lapsing or a grace period ending. */
    Instant nextChange() {
        return nextChange;
    }
}
