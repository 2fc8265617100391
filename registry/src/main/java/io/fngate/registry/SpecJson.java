package io.fngate.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The stored form of a function: the document {@link RegistryStore} keeps. Reading is strict and fails with
 * the path of the bad field, so that a damaged document is reported, never half-read.
 */
final class SpecJson {
    static final int SCHEMA = 1;
    private static final Duration FOREVER = Duration.ofDays(365_000);

    private SpecJson() {
    }

    static JsonObject write(FunctionSpec f) {
        JsonArrayBuilder tags = Json.createArrayBuilder();
        f.tags().forEach(tags::add);
        JsonArrayBuilder versions = Json.createArrayBuilder();
        f.versions().forEach(v -> versions.add(write(v)));
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("schema", SCHEMA)
                .add("id", f.id().toString())
                .add("name", f.name())
                .add("description", f.description())
                .add("tags", tags)
                .add("createdAt", f.createdAt().toString());
        f.maxQueueSize().ifPresent(q -> b.add("maxQueueSize", q));
        return b.add("versions", versions).build();
    }

    private static JsonObjectBuilder write(VersionSpec v) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("versionId", v.id().toString())
                .add("inferenceUrl", v.inferenceUrl())
                .add("inferencePort", v.inferencePort())
                .add("functionType", v.functionType().name())
                .add("createdAt", v.createdAt().toString());
        v.health().ifPresent(h -> {
            JsonObjectBuilder health = Json.createObjectBuilder()
                    .add("uri", h.uri())
                    .add("port", h.port())
                    .add("expectedStatusCode", h.expectedStatusCode());
            h.timeout().ifPresent(t -> health.add("timeout", t.toString()));
            b.add("health", health);
        });
        v.deployment().ifPresent(d -> {
            JsonArrayBuilder instances = Json.createArrayBuilder();
            for (InstanceSpec i : d.instances()) {
                JsonObjectBuilder ib = Json.createObjectBuilder()
                        .add("id", i.id().toString())
                        .add("url", i.url().toString())
                        .add("kind", i.kind().name())
                        .add("addedAt", i.addedAt().toString());
                i.ttl().ifPresent(t -> ib.add("ttl", t.toString()));
                instances.add(ib);
            }
            JsonObjectBuilder db = Json.createObjectBuilder();
            if (d.maxRequestConcurrency() > 0) { // absent: the registry's default, whatever it is at load time
                db.add("maxRequestConcurrency", d.maxRequestConcurrency());
            }
            b.add("deployment", db
                    .add("createdAt", d.createdAt().toString())
                    .add("updatedAt", d.updatedAt().toString())
                    .add("instances", instances));
        });
        return b;
    }

    /**
     * @throws IllegalArgumentException naming the bad field
     */
    static FunctionSpec read(JsonObject document) {
        Fields f = Fields.of(document, "body", Set.of("schema", "id", "name", "description", "tags", "createdAt",
                "maxQueueSize", "versions"), Set.of());
        int schema = f.optInt("schema", 0, Integer.MAX_VALUE).orElse(0);
        if (schema != SCHEMA) {
            throw new IllegalArgumentException("schema: " + schema + " is not supported (expected: " + SCHEMA + ")");
        }
        List<VersionSpec> versions = new ArrayList<>();
        List<JsonValue> array = f.array("versions");
        for (int i = 0; i < array.size(); i++) {
            versions.add(readVersion(array.get(i), "versions[" + i + "]"));
        }
        Optional<Integer> queue = f.optInt("maxQueueSize", 0, FunctionSpec.MAX_QUEUE_SIZE);
        return new FunctionSpec(f.uuid("id"), f.string("name"), f.optString("description").orElse(""),
                f.strings("tags"), f.instant("createdAt"), false,
                queue.map(OptionalInt::of).orElse(OptionalInt.empty()), versions);
    }

    private static VersionSpec readVersion(JsonValue value, String path) {
        Fields v = Fields.of(value, path, Set.of("versionId", "inferenceUrl", "inferencePort", "functionType",
                "createdAt", "health", "deployment"), Set.of());
        Optional<HealthSpec> health = v.value("health").map(h -> {
            Fields hf = Fields.of(h, v.path("health"), Set.of("uri", "port", "timeout", "expectedStatusCode"),
                    Set.of());
            return new HealthSpec(hf.string("uri"), hf.optInt("port", 0, 65535).orElse(0),
                    hf.optDuration("timeout", Duration.ZERO, FOREVER),
                    hf.optInt("expectedStatusCode", 100, 599).orElse(200));
        });
        Optional<DeploymentSpec> deployment = v.value("deployment").map(d -> readDeployment(d, v.path("deployment")));
        return new VersionSpec(v.uuid("versionId"), v.string("inferenceUrl"),
                v.optInt("inferencePort", 0, 65535).orElse(0), health,
                functionType(v.string("functionType"), v.path("functionType")), v.instant("createdAt"), deployment);
    }

    private static DeploymentSpec readDeployment(JsonValue value, String path) {
        Fields d = Fields.of(value, path, Set.of("maxRequestConcurrency", "createdAt", "updatedAt", "instances"),
                Set.of());
        List<InstanceSpec> instances = new ArrayList<>();
        List<JsonValue> array = d.array("instances");
        for (int i = 0; i < array.size(); i++) {
            Fields in = Fields.of(array.get(i), d.path("instances") + "[" + i + "]",
                    Set.of("id", "url", "kind", "ttl", "addedAt"), Set.of());
            InstanceSpec.Kind kind;
            try {
                kind = InstanceSpec.Kind.valueOf(in.string("kind"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(in.path("kind") + ": unknown kind");
            }
            instances.add(new InstanceSpec(in.uuid("id"), in.uri("url"), kind,
                    in.optDuration("ttl", Duration.ZERO, FOREVER), in.instant("addedAt")));
        }
        return new DeploymentSpec(d.optInt("maxRequestConcurrency", 1, FunctionVersion.MAX_REQUEST_CONCURRENCY).orElse(0),
                d.instant("createdAt"), d.instant("updatedAt"), instances);
    }

    static FunctionType functionType(String value, String path) {
        try {
            return FunctionType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + value + " (expected: DEFAULT or STREAMING)");
        }
    }
}
