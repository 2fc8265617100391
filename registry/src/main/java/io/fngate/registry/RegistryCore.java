package io.fngate.registry;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The registry's state and every change to it.
 * <p>
 * Readers take {@link #state()}, an immutable snapshot, and never wait. Changes to functions are serialized by
 * one writer lock, made durable in the store, and only then published as a new snapshot, so a change is
 * visible to routing exactly when it is acknowledged. Health changes and lease lapses only republish (no
 * store write) under a short publish lock that is never held during I/O.
 */
final class RegistryCore {
    private static final Logger LOG = Logger.getLogger(RegistryCore.class.getName());

    private final RegistryStore store;
    private final Clock clock;
    private final HealthSettings settings;
    private final int defaultConcurrency;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object publishLock = new Object();
    /** Lease expiry of registered instances with a TTL; a TTL instance without an entry has lapsed. */
    private final ConcurrentHashMap<UUID, Instant> leases = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile RegistryState state;

    /**
     * Loads the store and merges the configured functions.
     *
     * @throws RegistryStoreException naming the file when a stored document is unreadable or clashes
     */
    RegistryCore(RegistryStore store, List<FunctionSpec> configured, Clock clock, HealthSettings settings) {
        this(store, configured, clock, settings, 1);
    }

    /**
     * @param defaultConcurrency the per-instance limit of deployments that set none
     */
    RegistryCore(RegistryStore store, List<FunctionSpec> configured, Clock clock, HealthSettings settings,
                 int defaultConcurrency) {
        this.store = store;
        this.defaultConcurrency = defaultConcurrency;
        this.clock = clock;
        this.settings = settings;
        Instant now = clock.instant();
        Map<UUID, FunctionSpec> functions = new HashMap<>();
        configured.forEach(f -> functions.put(f.id(), f));
        for (Map.Entry<UUID, JsonObject> stored : store.load().entrySet()) {
            String where = store.location(stored.getKey());
            FunctionSpec f;
            try {
                f = SpecJson.read(stored.getValue());
            } catch (IllegalArgumentException e) {
                throw new RegistryStoreException(where + ": corrupt store file: " + e.getMessage(), e);
            }
            if (!f.id().equals(stored.getKey())) {
                throw new RegistryStoreException(where + ": holds function " + f.id() + ", not " + stored.getKey());
            }
            if (functions.containsKey(f.id())) {
                throw new RegistryStoreException(where + ": function " + f.id() + " is also declared in the "
                        + "configuration (functions); remove one of the two");
            }
            functions.put(f.id(), f);
            // a restart renews every lease in full: heartbeats are not written to the store
            Lookups.instances(f).stream().filter(i -> i.ttl().isPresent())
                    .forEach(i -> leases.put(i.id(), now.plus(i.ttl().get())));
        }
        this.state = RegistryState.build(functions, Map.of(), leases::get, now, settings.gracePeriod(),
                defaultConcurrency);
    }

    RegistryState state() {
        return state;
    }

    Clock clock() {
        return clock;
    }

    /** The per-instance limit of deployments that set none. */
    int defaultConcurrency() {
        return defaultConcurrency;
    }

    Optional<Instant> leaseExpiry(UUID instanceId) {
        return Optional.ofNullable(leases.get(instanceId));
    }

    FunctionSpec createFunction(FunctionDraft draft) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        FunctionSpec created = new FunctionSpec(id, draft.name().orElseThrow(), now, false, draft.maxQueueSize(),
                List.of(version(UUID.randomUUID(), draft.version(), now)));
        return write(id, current -> created, f -> { });
    }

    /** Adds a version; name and queue size, when given, replace the function's. */
    VersionSpec addVersion(UUID functionId, FunctionDraft draft) {
        UUID versionId = UUID.randomUUID();
        FunctionSpec changed = write(functionId, current -> {
            FunctionSpec f = Lookups.writable(functionId, current);
            return f.described(draft.name().orElse(f.name()), draft.maxQueueSize().isPresent() ? draft.maxQueueSize()
                    : f.maxQueueSize()).with(version(versionId, draft.version(), clock.instant()));
        }, f -> { });
        return changed.version(versionId).orElseThrow();
    }

    /** Changes a version's metadata; what the update leaves out stays. */
    VersionSpec updateVersion(UUID functionId, UUID versionId, VersionUpdate update) {
        FunctionSpec changed = write(functionId, current -> {
            FunctionSpec f = Lookups.writable(functionId, current);
            VersionSpec v = Lookups.version(f, versionId);
            JsonObjectBuilder attributes = Json.createObjectBuilder(v.attributes());
            update.attributes().forEach(attributes::add);
            if (!update.modelConfigs().isEmpty()) {
                attributes.add("models", models(v, update.modelConfigs()));
            }
            return f.with(v.described(update.description().orElse(v.description()), update.tags().orElse(v.tags()),
                    NvcfAttributes.version(attributes.build(), "body")));
        }, f -> { });
        return changed.version(versionId).orElseThrow();
    }

    /** The version's models with the given {@code llmConfig} fields set in the named ones. */
    private static JsonArray models(VersionSpec v, Map<String, JsonObject> configs) {
        List<JsonObject> models = v.attributes().containsKey("models")
                ? v.attributes().getJsonArray("models").getValuesAs(JsonObject.class) : List.of();
        for (String name : configs.keySet()) {
            if (models.stream().noneMatch(m -> m.getString("name").equals(name))) {
                throw new IllegalArgumentException("modelUpdates: version " + v.id() + " has no model named " + name);
            }
        }
        JsonArrayBuilder result = Json.createArrayBuilder();
        for (JsonObject model : models) {
            JsonObject config = configs.get(model.getString("name"));
            if (config == null) {
                result.add(model);
                continue;
            }
            JsonObjectBuilder llm = Json.createObjectBuilder(model.get("llmConfig") instanceof JsonObject o ? o
                    : JsonObject.EMPTY_JSON_OBJECT);
            config.forEach(llm::add);
            result.add(Json.createObjectBuilder(model).add("llmConfig", llm));
        }
        return result.build();
    }

    /** Deletes a version; the function goes with its last version. */
    void deleteVersion(UUID functionId, UUID versionId, boolean force) {
        write(functionId, current -> {
            FunctionSpec f = Lookups.writable(functionId, current);
            VersionSpec v = Lookups.version(f, versionId);
            if (v.deployment().isPresent() && !force) {
                throw new RegistryException(RegistryException.Kind.VERSION_DEPLOYED, "Version " + versionId
                        + " has a deployment: delete the deployment first, or repeat with ?force=true.");
            }
            FunctionSpec rest = f.without(versionId);
            return rest.versions().isEmpty() ? null : rest;
        }, f -> { });
    }

    /** Creates ({@code replace == false}) or replaces a deployment; instances listed before keep their ids. */
    DeploymentSpec deploy(UUID functionId, UUID versionId, DeploymentDraft draft, boolean replace) {
        FunctionSpec changed = write(functionId, current -> {
            FunctionSpec f = Lookups.writable(functionId, current);
            VersionSpec v = Lookups.version(f, versionId);
            Optional<DeploymentSpec> existing = v.deployment();
            if (!replace && existing.isPresent()) {
                throw new RegistryException(RegistryException.Kind.DEPLOYMENT_EXISTS, "Version " + versionId
                        + " is already deployed: change the deployment with PUT.");
            }
            if (replace && existing.isEmpty()) {
                throw new RegistryException(RegistryException.Kind.DEPLOYMENT_NOT_FOUND, "Version " + versionId
                        + " has no deployment: create it with POST.");
            }
            Instant now = clock.instant();
            List<InstanceSpec> before = existing.map(DeploymentSpec::instances).orElse(List.of());
            List<InstanceSpec> instances = new ArrayList<>();
            List<JsonObject> specifications = new ArrayList<>();
            for (int k = 0; k < draft.specifications().size(); k++) {
                DeploymentDraft.Specification spec = draft.specifications().get(k);
                JsonObjectBuilder kept = Json.createObjectBuilder(spec.attributes());
                if (spec.maxRequestConcurrency() > 0) {
                    kept.add("maxRequestConcurrency", spec.maxRequestConcurrency());
                }
                specifications.add(kept.build());
                for (URI url : spec.instances()) {
                    Optional<InstanceSpec> same = before.stream().filter(i -> i.url().equals(url)).findFirst();
                    if (same.isPresent() && same.get().kind() == InstanceSpec.Kind.REGISTERED) {
                        throw new RegistryException(RegistryException.Kind.INSTANCE_CONFLICT, url
                                + " is registered as instance " + same.get().id()
                                + ": delete that registration before listing it in the deployment.");
                    }
                    OptionalInt index = OptionalInt.of(k);
                    instances.add(same.map(i -> new InstanceSpec(i.id(), url, i.kind(), i.ttl(), i.addedAt(), index))
                            .orElseGet(() -> new InstanceSpec(UUID.randomUUID(), url, InstanceSpec.Kind.DEPLOYMENT,
                                    Optional.empty(), now, index)));
                }
            }
            before.stream().filter(i -> i.kind() == InstanceSpec.Kind.REGISTERED).forEach(instances::add);
            Instant created = existing.map(DeploymentSpec::createdAt).orElse(now);
            return f.with(v.deployed(Optional.of(new DeploymentSpec(draft.maxRequestConcurrency(), specifications,
                    created, now, instances))));
        }, f -> { });
        return changed.version(versionId).flatMap(VersionSpec::deployment).orElseThrow();
    }

    void undeploy(UUID functionId, UUID versionId) {
        write(functionId, current -> {
            FunctionSpec f = Lookups.writable(functionId, current);
            VersionSpec v = Lookups.version(f, versionId);
            Lookups.deployment(v);
            return f.with(v.deployed(Optional.empty()));
        }, f -> { });
    }

    Registration register(UUID functionId, UUID versionId, RegistrationDraft draft) {
        UUID freshId = UUID.randomUUID();
        InstanceSpec[] chosen = new InstanceSpec[1];
        boolean[] created = {true};
        write(functionId, current -> {
            FunctionSpec f = Lookups.writable(functionId, current);
            VersionSpec v = Lookups.version(f, versionId);
            DeploymentSpec d = v.deployment().orElseThrow(() -> new RegistryException(
                    RegistryException.Kind.NOT_DEPLOYED, "Version " + versionId + " has no deployment: create it (POST "
                    + "/v2/nvcf/deployments/functions/" + functionId + "/versions/" + versionId
                    + ") before instances register."));
            Instant now = clock.instant();
            Optional<InstanceSpec> same = d.instances().stream().filter(i -> i.url().equals(draft.url())).findFirst();
            if (same.isPresent() && same.get().kind() == InstanceSpec.Kind.DEPLOYMENT) {
                throw new RegistryException(RegistryException.Kind.INSTANCE_CONFLICT, draft.url()
                        + " is listed in the deployment as instance " + same.get().id() + ".");
            }
            if (same.isPresent() && alive(same.get(), now)) {
                created[0] = false;
                chosen[0] = new InstanceSpec(same.get().id(), draft.url(), InstanceSpec.Kind.REGISTERED, draft.ttl(),
                        same.get().addedAt(), OptionalInt.empty());
                return f.with(v.deployed(Optional.of(d.with(chosen[0]))));
            }
            chosen[0] = new InstanceSpec(freshId, draft.url(), InstanceSpec.Kind.REGISTERED, draft.ttl(), now,
                    OptionalInt.empty());
            DeploymentSpec withoutLapsed = same.map(lapsed -> d.without(lapsed.id())).orElse(d);
            return f.with(v.deployed(Optional.of(withoutLapsed.with(chosen[0]))));
        }, f -> {
            InstanceSpec i = chosen[0];
            if (i.ttl().isPresent()) {
                leases.put(i.id(), clock.instant().plus(i.ttl().get()));
            } else {
                leases.remove(i.id());
            }
        });
        return new Registration(chosen[0], created[0]);
    }

    /** Renews a registration's lease; an instance without a TTL has nothing to renew. */
    InstanceSpec heartbeat(UUID functionId, UUID versionId, UUID instanceId) {
        FunctionSpec f = state.function(functionId).orElseThrow(() -> Lookups.functionNotFound(functionId));
        InstanceSpec i = Lookups.instance(Lookups.deployment(Lookups.version(f, versionId)), instanceId);
        if (i.ttl().isEmpty()) {
            return i;
        }
        Instant now = clock.instant();
        Instant renewed = leases.computeIfPresent(instanceId,
                (id, expiry) -> expiry.isAfter(now) ? now.plus(i.ttl().get()) : expiry);
        if (renewed == null || !renewed.isAfter(now)) {
            throw new RegistryException(RegistryException.Kind.INSTANCE_NOT_FOUND, "The registration of instance "
                    + instanceId + " lapsed: register the instance again.");
        }
        return i;
    }

    void deregister(UUID functionId, UUID versionId, UUID instanceId) {
        write(functionId, current -> {
            FunctionSpec f = Lookups.writable(functionId, current);
            VersionSpec v = Lookups.version(f, versionId);
            DeploymentSpec d = Lookups.deployment(v);
            InstanceSpec i = Lookups.instance(d, instanceId);
            if (i.kind() == InstanceSpec.Kind.DEPLOYMENT) {
                throw new RegistryException(RegistryException.Kind.INSTANCE_CONFLICT, "Instance " + instanceId
                        + " is listed in the deployment: change the deployment (PUT) to remove it.");
            }
            return f.with(v.deployed(Optional.of(d.without(instanceId))));
        }, f -> leases.remove(instanceId));
    }

    /** Publishes an instance's new health; ignored when unchanged or the instance is gone. */
    void healthChanged(UUID instanceId, InstanceHealth health) {
        synchronized (publishLock) {
            RegistryState s = state;
            if (s.health().get(instanceId) == health) {
                return;
            }
            Map<UUID, InstanceHealth> changed = new HashMap<>(s.health());
            changed.put(instanceId, health);
            state = RegistryState.build(s.functions(), changed, leases::get, clock.instant(), settings.gracePeriod(),
                    defaultConcurrency);
        }
    }

    /**
     * Rebuilds the view when a lease may have lapsed or a grace period ended, and starts removing lapsed
     * registrations from the store. Called by the health monitor's ticker.
     */
    void refresh() {
        if (!clock.instant().isBefore(state.nextChange())) {
            synchronized (publishLock) {
                RegistryState s = state;
                state = RegistryState.build(s.functions(), s.health(), leases::get, clock.instant(),
                        settings.gracePeriod(), defaultConcurrency);
            }
        }
        if (!state.lapsed().isEmpty() && sweeping.compareAndSet(false, true)) {
            Thread.ofVirtual().name("fngate-lease-sweep").start(() -> {
                try {
                    removeLapsed();
                } finally {
                    sweeping.set(false);
                }
            });
        }
    }

    /** Removes registrations whose lease lapsed (unless renewed meanwhile) from the store and the snapshot. */
    void removeLapsed() {
        for (UUID instanceId : state.lapsed()) {
            Optional<FunctionSpec> owner = state.functions().values().stream()
                    .filter(f -> Lookups.instances(f).stream().anyMatch(i -> i.id().equals(instanceId))).findFirst();
            if (owner.isEmpty()) {
                continue;
            }
            try {
                write(owner.get().id(), current -> current == null ? null : withoutLapsed(current, instanceId),
                        f -> { });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not remove lapsed instance " + instanceId + "; will retry", e);
            }
        }
    }

    private FunctionSpec withoutLapsed(FunctionSpec f, UUID instanceId) {
        Instant now = clock.instant();
        for (VersionSpec v : f.versions()) {
            Optional<InstanceSpec> i = v.deployment().flatMap(d -> d.instance(instanceId));
            if (i.isPresent()) {
                boolean lapsed = leases.computeIfPresent(instanceId, (id, exp) -> exp.isAfter(now) ? exp : null) == null;
                if (!lapsed) {
                    return f;
                }
                LOG.info("instance " + i.get().url() + " of function " + f.id() + " version " + v.id()
                        + " left the rotation: its registration lapsed");
                return f.with(v.deployed(v.deployment().map(d -> d.without(instanceId))));
            }
        }
        return f;
    }

    /**
     * Applies one change to one function: computes it from the current value (null = absent), makes it durable,
     * then publishes it. {@code change} returning its argument means "nothing to do"; returning null deletes.
     */
    private FunctionSpec write(UUID functionId, UnaryOperator<FunctionSpec> change, Consumer<FunctionSpec> committed) {
        writeLock.lock();
        try {
            FunctionSpec current = state.functions().get(functionId);
            FunctionSpec next = change.apply(current);
            if (next == current) {
                return current;
            }
            try {
                if (next == null) {
                    store.delete(functionId);
                } else {
                    store.put(functionId, SpecJson.write(next));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "store write for function " + functionId + " failed; the change was not applied",
                        e);
                throw new RegistryException(RegistryException.Kind.STORE_FAILURE,
                        "The change could not be saved and was not applied; see the gateway log.");
            }
            if (current != null) { // instances that left take their leases along
                Set<UUID> kept = next == null ? Set.of()
                        : Lookups.instances(next).stream().map(InstanceSpec::id).collect(Collectors.toSet());
                Lookups.instances(current).stream().map(InstanceSpec::id).filter(id -> !kept.contains(id))
                        .forEach(leases::remove);
            }
            committed.accept(next);
            synchronized (publishLock) {
                RegistryState s = state;
                Map<UUID, FunctionSpec> functions = new HashMap<>(s.functions());
                if (next == null) {
                    functions.remove(functionId);
                } else {
                    functions.put(functionId, next);
                }
                state = RegistryState.build(functions, s.health(), leases::get, clock.instant(),
                        settings.gracePeriod(), defaultConcurrency);
            }
            return next;
        } finally {
            writeLock.unlock();
        }
    }

    private boolean alive(InstanceSpec i, Instant now) {
        if (i.ttl().isEmpty()) {
            return true;
        }
        Instant expiry = leases.get(i.id());
        return expiry != null && expiry.isAfter(now);
    }

    private static VersionSpec version(UUID id, VersionDraft d, Instant now) {
        return new VersionSpec(id, d.description(), d.tags(), d.inferenceUrl(), d.inferencePort(), d.health(), d.type(),
                d.attributes(), d.secrets(), now, Optional.empty());
    }
}
