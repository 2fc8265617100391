package io.fngate.management;

import java.util.List;
import java.util.Optional;

import io.fngate.registry.DeploymentSpec;
import io.fngate.registry.FunctionSpec;
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
 * Renders registry values as the management API's JSON (NVCF field names): a function version, a deployment
 * with its instances, an instance. Status and instance counts come from the snapshot the view is built from.
 */
final class Views {

    /** {@code {"functions": [...]}}: one entry per version, as NVCF lists them. */
    JsonObject functions(RegistrySnapshot s, List<FunctionSpec> functions) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (FunctionSpec f : functions) {
            if (f.versions().isEmpty()) {
                list.add(base(f).add("status", VersionStatus.INACTIVE.name()).add("activeInstances", 0));
            }
            f.versions().forEach(v -> list.add(version(s, f, v)));
        }
        return Json.createObjectBuilder().add("functions", list).build();
    }

    JsonObject function(RegistrySnapshot s, FunctionSpec f, VersionSpec v) {
        return Json.createObjectBuilder().add("function", version(s, f, v)).build();
    }

    private JsonObjectBuilder version(RegistrySnapshot s, FunctionSpec f, VersionSpec v) {
        VersionState state = s.state(v);
        JsonObjectBuilder b = base(f)
                .add("versionId", v.id().toString())
                .add("status", state.status().name())
                .add("inferenceUrl", v.inferenceUrl())
                .add("functionType", v.functionType().name())
                .add("createdAt", v.createdAt().toString())
                .add("activeInstances", state.serving());
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
    JsonObject deployment(RegistrySnapshot s, FunctionSpec f, VersionSpec v) {
        DeploymentSpec d = s.deployment(f.id(), v.id());
        JsonArrayBuilder instances = Json.createArrayBuilder();
        d.instances().forEach(i -> instances.add(instance(s, v, i)));
        return Json.createObjectBuilder().add("deployment", Json.createObjectBuilder()
                .add("functionId", f.id().toString())
                .add("functionVersionId", v.id().toString())
                .add("functionStatus", s.state(v).status().name())
                .add("maxRequestConcurrency", s.concurrency(d))
                .add("createdAt", d.createdAt().toString())
                .add("updatedAt", d.updatedAt().toString())
                .add("readOnly", f.readOnly())
                .add("instances", instances)).build();
    }

    /** {@code {"instance": {...}}}. */
    JsonObject instanceEnvelope(RegistrySnapshot s, VersionSpec v, InstanceSpec i) {
        return Json.createObjectBuilder().add("instance", instance(s, v, i)).build();
    }

    private JsonObjectBuilder instance(RegistrySnapshot s, VersionSpec v, InstanceSpec i) {
        InstanceState state = s.instance(v, i);
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
        Optional<java.time.Instant> ejected = seen.flatMap(InstanceLoad::ejectedUntil);
        b.add("ejected", ejected.isPresent());
        ejected.ifPresent(until -> b.add("ejectedUntil", until.toString()));
        return b;
    }
}
