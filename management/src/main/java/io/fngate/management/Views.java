package io.fngate.management;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.fngate.auth.KeyInfo;
import io.fngate.auth.Scope;
import io.fngate.registry.DeploymentSpec;
import io.fngate.registry.FunctionSpec;
import io.fngate.registry.InstanceHealth;
import io.fngate.registry.InstanceLoad;
import io.fngate.registry.InstanceSpec;
import io.fngate.registry.InstanceState;
import io.fngate.registry.RegistrySnapshot;
import io.fngate.registry.VersionSpec;
import io.fngate.registry.VersionState;
import io.fngate.registry.VersionStatus;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Renders registry values as the management API's JSON: NVCF's field names and wrappers ({@code {function}},
 * {@code {functions}}, {@code {functionIds}}, {@code {deployment}}), plus fngate's own fields ({@code readOnly},
 * {@code source}, {@code maxQueueSize}, {@code statusReason}, a deployment's {@code instances}). Status and
 * instances come from the snapshot the view is built from. Secret values never reach here; only their names.
 */
final class Views {
    /** Why a deployment without instances does not serve, in its status and its health information. */
    static final String NO_INSTANCE = "The deployment has no instance. fngate starts no containers: list the "
            + "instances' URLs in deploymentSpecifications[].instances, or let instances register themselves "
            + "(POST .../instances).";

    /** {@code {"functions": [...]}}: one entry per version, as NVCF lists them. */
    JsonObject functions(RegistrySnapshot s, List<FunctionSpec> functions) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (FunctionSpec f : functions) {
            if (f.versions().isEmpty()) {
                list.add(base(f).add("status", VersionStatus.INACTIVE.name())
                        .add("activeInstances", JsonObject.EMPTY_JSON_ARRAY));
            }
            f.versions().forEach(v -> list.add(version(s, f, v, true)));
        }
        return Json.createObjectBuilder().add("functions", list).build();
    }

    /** {@code {"functionIds": [...]}}, oldest function first. */
    JsonObject functionIds(List<FunctionSpec> functions) {
        JsonArrayBuilder ids = Json.createArrayBuilder();
        functions.forEach(f -> ids.add(f.id().toString()));
        return Json.createObjectBuilder().add("functionIds", ids).build();
    }

    JsonObject function(RegistrySnapshot s, FunctionSpec f, VersionSpec v, boolean secrets) {
        return Json.createObjectBuilder().add("function", version(s, f, v, secrets)).build();
    }

    private JsonObjectBuilder version(RegistrySnapshot s, FunctionSpec f, VersionSpec v, boolean secrets) {
        VersionState state = s.state(v);
        JsonObjectBuilder b = base(f)
                .add("versionId", v.id().toString())
                .add("status", state.status().name());
        reason(state).ifPresent(r -> b.add("statusReason", r));
        b.add("inferenceUrl", v.inferenceUrl());
        if (v.inferencePort() > 0) {
            b.add("inferencePort", v.inferencePort());
        }
        b.add("functionType", v.functionType().name())
                .add("apiBodyFormat", "CUSTOM"); // NVCF's default; replaced below when the version names one
        v.attributes().forEach(b::add);
        if (!v.description().isEmpty()) {
            b.add("description", v.description());
        }
        b.add("tags", strings(v.tags()));
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
            b.add("healthUri", h.uri());
        });
        if (secrets && !v.secrets().isEmpty()) {
            b.add("secrets", strings(v.secrets()));
        }
        return b.add("createdAt", v.createdAt().toString())
                .add("activeInstances", activeInstances(s, f, v));
    }

    /** NVCF's list of a version's instances: those serving (ACTIVE) and those failing their checks (ERRORED). */
    private static JsonArrayBuilder activeInstances(RegistrySnapshot s, FunctionSpec f, VersionSpec v) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        Optional<DeploymentSpec> d = v.deployment();
        if (d.isEmpty()) {
            return list;
        }
        for (InstanceSpec i : d.get().instances()) {
            InstanceState state = s.instance(v, i);
            if (state.lapsed() || state.health() == InstanceHealth.UNKNOWN) {
                continue; // gone, or not checked yet: not an instance of the version in NVCF's sense
            }
            JsonObjectBuilder b = Json.createObjectBuilder()
                    .add("instanceId", i.id().toString())
                    .add("functionId", f.id().toString())
                    .add("functionVersionId", v.id().toString())
                    .add("instanceStatus", state.health().routable() ? "ACTIVE" : "ERRORED")
                    .add("instanceCreatedAt", i.addedAt().toString());
            shape(d.get(), i).forEach(b::add);
            list.add(b);
        }
        return list;
    }

    /** The GPU shape of the specification that lists an instance, as NVCF names it on instances. */
    private static JsonObject shape(DeploymentSpec d, InstanceSpec i) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        i.specification().ifPresent(k -> {
            JsonObject spec = d.specifications().get(k);
            for (String name : List.of("gpu", "instanceType", "backend")) {
                if (spec.containsKey(name)) {
                    b.add(name, spec.get(name));
                }
            }
        });
        return b.build();
    }

    private static JsonObjectBuilder base(FunctionSpec f) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", f.id().toString())
                .add("name", f.name())
                .add("readOnly", f.readOnly())
                .add("source", f.readOnly() ? "config" : "api");
        f.maxQueueSize().ifPresent(q -> b.add("maxQueueSize", q));
        return b;
    }

    /** Why a version is not simply ACTIVE (or INACTIVE), in words; empty when it is. */
    static Optional<String> reason(VersionState state) {
        int failing = state.live() - state.serving();
        return switch (state.status()) {
            case INACTIVE, ACTIVE -> Optional.empty();
            case DEPLOYING -> Optional.of(state.live() == 0 ? NO_INSTANCE : "Waiting for the first passed health "
                    + "check of " + count(state.live()) + ".");
            case ERROR -> Optional.of(state.live() == 0 ? NO_INSTANCE + " The grace period is over."
                    : "None of " + count(state.live()) + " passed its health checks within the grace period (see "
                            + "the deployment's healthInfo).");
            case DEGRADED -> Optional.of(failing + " of " + count(state.live()) + " failing its health checks.");
        };
    }

    private static String count(int instances) {
        return instances == 1 ? "1 instance" : instances + " instances";
    }

    /** {@code {"deployment": {...}}}. */
    JsonObject deployment(RegistrySnapshot s, FunctionSpec f, VersionSpec v) {
        DeploymentSpec d = s.deployment(f.id(), v.id());
        VersionState state = s.state(v);
        JsonArrayBuilder specifications = Json.createArrayBuilder();
        for (int k = 0; k < d.specifications().size(); k++) {
            int index = k;
            JsonArrayBuilder urls = Json.createArrayBuilder();
            d.instances().stream().filter(i -> i.specification().orElse(-1) == index)
                    .forEach(i -> urls.add(i.url().toString()));
            specifications.add(Json.createObjectBuilder(d.specifications().get(k)).add("instances", urls));
        }
        JsonArrayBuilder instances = Json.createArrayBuilder();
        JsonArrayBuilder healthInfo = Json.createArrayBuilder();
        if (state.live() == 0) {
            healthInfo.add(Json.createObjectBuilder().add("error", NO_INSTANCE));
        }
        for (InstanceSpec i : d.instances()) {
            InstanceState is = s.instance(v, i);
            instances.add(instance(i, is));
            if (is.lapsed() || is.health() == InstanceHealth.UNHEALTHY) {
                healthInfo.add(Json.createObjectBuilder(shape(d, i))
                        .add("instanceId", i.id().toString())
                        .add("url", i.url().toString())
                        .add("error", is.lapsed() ? "registration lapsed without a heartbeat"
                                : is.lastCheckError().orElse("failing its health checks")));
            }
        }
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("functionId", f.id().toString())
                .add("functionVersionId", v.id().toString())
                .add("functionStatus", state.status().name());
        reason(state).ifPresent(r -> b.add("statusReason", r));
        return Json.createObjectBuilder().add("deployment", b
                .add("healthInfo", healthInfo)
                .add("deploymentSpecifications", specifications)
                .add("maxRequestConcurrency", s.concurrency(d))
                .add("createdAt", d.createdAt().toString())
                .add("updatedAt", d.updatedAt().toString())
                .add("readOnly", f.readOnly())
                .add("instances", instances)).build();
    }

    /** {@code {"instance": {...}}}. */
    JsonObject instanceEnvelope(RegistrySnapshot s, VersionSpec v, InstanceSpec i) {
        return Json.createObjectBuilder().add("instance", instance(i, s.instance(v, i))).build();
    }

    private static JsonObjectBuilder instance(InstanceSpec i, InstanceState state) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", i.id().toString())
                .add("url", i.url().toString())
                .add("source", i.kind() == InstanceSpec.Kind.DEPLOYMENT ? "deployment" : "registered")
                .add("health", state.lapsed() ? "LAPSED" : state.health().name())
                .add("addedAt", i.addedAt().toString());
        i.ttl().ifPresent(t -> {
            b.add("ttl", t.toString());
            state.expiresAt().ifPresent(e -> b.add("expiresAt", e.toString()));
        });
        state.lastCheckedAt().ifPresent(at -> b.add("lastCheckedAt", at.toString()));
        state.lastCheckError().ifPresent(error -> b.add("lastCheckError", error));
        // passive health and load, as the dispatcher sees them (nothing before the first request)
        Optional<InstanceLoad> seen = state.load();
        b.add("inFlight", seen.map(InstanceLoad::inFlight).orElse(0));
        b.add("consecutiveFailures", seen.map(InstanceLoad::consecutiveFailures).orElse(0));
        Optional<Instant> ejected = seen.flatMap(InstanceLoad::ejectedUntil);
        b.add("ejected", ejected.isPresent());
        ejected.ifPresent(until -> b.add("ejectedUntil", until.toString()));
        return b;
    }

    /** {@code {"key": {...}}}; the key's secret only when it was just made. */
    JsonObject keyEnvelope(KeyInfo key, Optional<String> secret) {
        JsonObjectBuilder b = key(key);
        secret.ifPresent(value -> b.add("value", value));
        return Json.createObjectBuilder().add("key", b).build();
    }

    /** {@code {"keys": [...]}}, never with secrets. */
    JsonObject keys(List<KeyInfo> keys) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        keys.forEach(k -> list.add(key(k)));
        return Json.createObjectBuilder().add("keys", list).build();
    }

    private static JsonObjectBuilder key(KeyInfo key) {
        JsonArrayBuilder scopes = Json.createArrayBuilder();
        key.scopes().stream().sorted().map(Scope::wire).forEach(scopes::add);
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", key.id().toString())
                .add("name", key.name())
                .add("scopes", scopes);
        key.functions().ifPresent(ids -> {
            JsonArrayBuilder list = Json.createArrayBuilder();
            ids.stream().sorted().map(UUID::toString).forEach(list::add);
            b.add("functions", list);
        });
        if (key.source() == KeyInfo.Source.API) {
            b.add("createdAt", key.createdAt().toString());
        }
        return b.add("source", key.source() == KeyInfo.Source.API ? "api" : "config");
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        values.forEach(b::add);
        return b;
    }
}
