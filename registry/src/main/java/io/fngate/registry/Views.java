package io.fngate.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Renders registry values as the management API's JSON (NVCF field names): a function version, a deployment
 * with its instances, an instance. Status and instance counts come from the snapshot the view is built from.
 */
final class Views {
    private final RegistryCore core;
    private final Function<UUID, Optional<HealthMonitor.LastCheck>> lastCheck;
    private final Supplier<InstanceLoad.Source> load;

    Views(RegistryCore core, Function<UUID, Optional<HealthMonitor.LastCheck>> lastCheck,
          Supplier<InstanceLoad.Source> load) {
        this.core = core;
        this.lastCheck = lastCheck;
        this.load = load;
    }

    /** {@code {"functions": [...]}}: one entry per version, as NVCF lists them. */
    JsonObject functions(RegistryState s, List<FunctionSpec> functions) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        functions.stream()
                .sorted(Comparator.comparing(FunctionSpec::createdAt).thenComparing(FunctionSpec::id))
                .forEach(f -> {
                    if (f.versions().isEmpty()) {
                        list.add(base(f).add("status", VersionStatus.INACTIVE.name()).add("activeInstances", 0));
                    }
                    f.versions().forEach(v -> list.add(version(s, f, v)));
                });
        return Json.createObjectBuilder().add("functions", list).build();
    }

    JsonObject function(RegistryState s, FunctionSpec f, VersionSpec v) {
        return Json.createObjectBuilder().add("function", version(s, f, v)).build();
    }

    private JsonObjectBuilder version(RegistryState s, FunctionSpec f, VersionSpec v) {
        Optional<FunctionVersion> routed = Optional.ofNullable(s.view().get(f.id())).flatMap(x -> x.version(v.id()));
        JsonObjectBuilder b = base(f)
                .add("versionId", v.id().toString())
                .add("status", routed.map(FunctionVersion::status).orElse(VersionStatus.INACTIVE).name())
                .add("inferenceUrl", v.inferenceUrl())
                .add("functionType", v.functionType().name())
                .add("createdAt", v.createdAt().toString())
                .add("activeInstances", routed.map(r -> r.instances().size()).orElse(0));
        if (v.inferencePort() > 0) {
            b.add("inferencePort", v.inferencePort());
        }
        v.health().ifPresent(h -> {
            JsonObjectBuilder health = Json.createObjectBuilder()
                    .add("protocol", "HTTP")
                    .add("uri", h.uri())
                    .add("expectedStatusCode", h.expectedStatusCode());
            if (h.port() > 0) {
                health.add("port", h.port());
            }
            h.timeout().ifPresent(t -> health.add("timeout", t.toString()));
            b.add("health", health);
        });
        return b;
    }

    private static JsonObjectBuilder base(FunctionSpec f) {
        JsonArrayBuilder tags = Json.createArrayBuilder();
        f.tags().forEach(tags::add);
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", f.id().toString())
                .add("name", f.name())
                .add("tags", tags)
                .add("readOnly", f.readOnly())
                .add("source", f.readOnly() ? "config" : "api");
        if (!f.description().isEmpty()) {
            b.add("description", f.description());
        }
        f.maxQueueSize().ifPresent(q -> b.add("maxQueueSize", q));
        return b;
    }

    /** {@code {"deployment": {...}}}. */
    JsonObject deployment(RegistryState s, FunctionSpec f, VersionSpec v) {
        DeploymentSpec d = Lookups.deployment(v);
        Optional<FunctionVersion> routed = Optional.ofNullable(s.view().get(f.id())).flatMap(x -> x.version(v.id()));
        JsonArrayBuilder instances = Json.createArrayBuilder();
        d.instances().forEach(i -> instances.add(instance(s, v, i)));
        return Json.createObjectBuilder().add("deployment", Json.createObjectBuilder()
                .add("functionId", f.id().toString())
                .add("functionVersionId", v.id().toString())
                .add("functionStatus", routed.map(FunctionVersion::status).orElse(VersionStatus.INACTIVE).name())
                .add("maxRequestConcurrency", d.concurrency(core.defaultConcurrency()))
                .add("createdAt", d.createdAt().toString())
                .add("updatedAt", d.updatedAt().toString())
                .add("readOnly", f.readOnly())
                .add("instances", instances)).build();
    }

    /** {@code {"instance": {...}}}. */
    JsonObject instanceEnvelope(RegistryState s, VersionSpec v, InstanceSpec i) {
        return Json.createObjectBuilder().add("instance", instance(s, v, i)).build();
    }

    private JsonObjectBuilder instance(RegistryState s, VersionSpec v, InstanceSpec i) {
        boolean lapsed = s.lapsed().contains(i.id());
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", i.id().toString())
                .add("url", i.url().toString())
                .add("source", i.kind() == InstanceSpec.Kind.DEPLOYMENT ? "deployment" : "registered")
                .add("health", lapsed ? "LAPSED" : s.health(v, i).name())
                .add("addedAt", i.addedAt().toString());
        i.ttl().ifPresent(t -> {
            b.add("ttl", t.toString());
            core.leaseExpiry(i.id()).ifPresent(e -> b.add("expiresAt", e.toString()));
        });
        lastCheck.apply(i.id()).ifPresent(c -> {
            b.add("lastCheckedAt", c.at().toString());
            if (!c.error().isEmpty()) {
                b.add("lastCheckError", c.error());
            }
        });
        // passive health and load, as the dispatcher sees them (nothing before the first request)
        Optional<InstanceLoad> seen = load.get().load(v.id(), v.address(i));
        b.add("inFlight", seen.map(InstanceLoad::inFlight).orElse(0));
        b.add("consecutiveFailures", seen.map(InstanceLoad::consecutiveFailures).orElse(0));
        Optional<java.time.Instant> ejected = seen.flatMap(InstanceLoad::ejectedUntil);
        b.add("ejected", ejected.isPresent());
        ejected.ifPresent(until -> b.add("ejectedUntil", until.toString()));
        return b;
    }
}
