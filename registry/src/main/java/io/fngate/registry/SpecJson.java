package io.fngate.registry;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The stored form of a function: the document {@link RegistryStore} keeps. Reading is strict and fails with
 * the path of the bad field, so that a damaged document is reported, never half-read.
 * <p>
 * Schema 2 is written. Schema 1 (before versions had their own description, tags, NVCF attributes, secret names
 * and deployment specifications) is still read: its function's description and tags go to every version, and a
 * deployment becomes one specification listing all its instances. The next change of the function writes it as
 * schema 2.
 */
final class SpecJson {
    static final int SCHEMA = 2;
    private static final Duration FOREVER = Duration.ofDays(365_000);

    private SpecJson() {
    }

    static JsonObject write(FunctionSpec f) {
        JsonArrayBuilder versions = Json.createArrayBuilder();
        f.versions().forEach(v -> versions.add(write(v)));
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("schema", SCHEMA)
                .add("id", f.id().toString())
                .add("name", f.name())
                .add("createdAt", f.createdAt().toString());
        f.maxQueueSize().ifPresent(q -> b.add("maxQueueSize", q));
        return b.add("versions", versions).build();
    }

    private static JsonObjectBuilder write(VersionSpec v) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("versionId", v.id().toString())
                .add("description", v.description())
                .add("tags", strings(v.tags()))
                .add("inferenceUrl", v.inferenceUrl())
                .add("inferencePort", v.inferencePort())
                .add("functionType", v.functionType().name())
                .add("attributes", v.attributes())
                .add("secrets", strings(v.secrets()))
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
                i.specification().ifPresent(k -> ib.add("specification", k));
                instances.add(ib);
            }
            JsonObjectBuilder db = Json.createObjectBuilder();
            if (d.maxRequestConcurrency() > 0) { // absent: the registry's default, whatever it is at load time
                db.add("maxRequestConcurrency", d.maxRequestConcurrency());
            }
            JsonArrayBuilder specifications = Json.createArrayBuilder();
            d.specifications().forEach(specifications::add);
            b.add("deployment", db
                    .add("specifications", specifications)
                    .add("createdAt", d.createdAt().toString())
                    .add("updatedAt", d.updatedAt().toString())
                    .add("instances", instances));
        });
        return b;
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        values.forEach(b::add);
        return b;
    }

    /**
     * Reads a stored document. Every field {@link #write} always writes must be there, a function has at least
     * one version, ids are unique within it, and paths, URLs and NVCF attributes are as the management API accepted
     * them: a document that is not something fngate could have written is refused rather than half-loaded.
     *
     * @throws IllegalArgumentException naming the bad field
     */
    static FunctionSpec read(JsonObject document) {
        int schema = Fields.of(document, "body", document.keySet(), Set.of()).integer("schema", 0, Integer.MAX_VALUE);
        if (schema != 1 && schema != SCHEMA) {
            throw new IllegalArgumentException("schema: " + schema + " is not supported (expected: 1 or " + SCHEMA
                    + ")");
        }
        boolean legacy = schema == 1;
        Fields f = Fields.of(document, "body", legacy
                ? Set.of("schema", "id", "name", "description", "tags", "createdAt", "maxQueueSize", "versions")
                : Set.of("schema", "id", "name", "createdAt", "maxQueueSize", "versions"), Set.of());
        UUID id = f.uuid("id");
        String name = f.string("name");
        FunctionSpec.checkName(name, "name");
        Legacy inherited = new Legacy(legacy, "", List.of());
        if (legacy) {
            inherited = new Legacy(true, f.optString("description")
                    .orElseThrow(() -> new IllegalArgumentException("description: missing")), f.requiredStrings("tags"));
        }
        Instant createdAt = f.instant("createdAt");
        List<JsonValue> array = f.requiredArray("versions");
        if (array.isEmpty()) {
            throw new IllegalArgumentException("versions: empty (a stored function has at least one version; "
                    + "deleting the last one deletes the file)");
        }
        List<VersionSpec> versions = new ArrayList<>();
        Set<UUID> versionIds = new HashSet<>();
        Set<UUID> instanceIds = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String path = "versions[" + i + "]";
            VersionSpec v = readVersion(array.get(i), path, inherited);
            if (!versionIds.add(v.id())) {
                throw new IllegalArgumentException(path + ".versionId: " + v.id() + " is listed twice");
            }
            List<InstanceSpec> instances = v.deployment().map(DeploymentSpec::instances).orElse(List.of());
            for (int k = 0; k < instances.size(); k++) {
                if (!instanceIds.add(instances.get(k).id())) {
                    throw new IllegalArgumentException(path + ".deployment.instances[" + k + "].id: "
                            + instances.get(k).id() + " is listed twice");
                }
            }
            versions.add(v);
        }
        Optional<Integer> queue = f.optInt("maxQueueSize", 0, FunctionSpec.MAX_QUEUE_SIZE);
        return new FunctionSpec(id, name, createdAt, false, queue.map(OptionalInt::of).orElse(OptionalInt.empty()),
                versions);
    }

    /** A schema-1 document's function-level metadata, which its versions take. */
    private record Legacy(boolean schema1, String description, List<String> tags) {
    }

    private static VersionSpec readVersion(JsonValue value, String path, Legacy legacy) {
        Fields v = Fields.of(value, path, legacy.schema1()
                ? Set.of("versionId", "inferenceUrl", "inferencePort", "functionType", "createdAt", "health",
                        "deployment")
                : Set.of("versionId", "description", "tags", "inferenceUrl", "inferencePort", "functionType",
                        "attributes", "secrets", "createdAt", "health", "deployment"), Set.of());
        UUID id = v.uuid("versionId");
        String description = legacy.schema1() ? legacy.description() : v.optString("description")
                .orElseThrow(() -> new IllegalArgumentException(v.path("description") + ": missing"));
        VersionSpec.checkDescription(description, v.path("description"));
        List<String> tags = legacy.schema1() ? legacy.tags() : v.requiredStrings("tags");
        VersionSpec.checkTags(tags, v.path("tags"));
        String inferenceUrl = path(v, "inferenceUrl");
        int inferencePort = v.integer("inferencePort", 0, 65535);
        FunctionType type = FunctionType.parse(v.string("functionType"), v.path("functionType"));
        JsonObject attributes = JsonObject.EMPTY_JSON_OBJECT;
        List<String> secrets = List.of();
        if (!legacy.schema1()) {
            attributes = NvcfAttributes.stored(v.value("attributes").orElseThrow(
                    () -> new IllegalArgumentException(v.path("attributes") + ": missing")), v.path("attributes"),
                    NvcfAttributes.VERSION);
            secrets = v.requiredStrings("secrets");
            VersionSpec.checkSecretNames(secrets, v.path("secrets"));
        }
        Instant createdAt = v.instant("createdAt");
        Optional<HealthSpec> health = v.value("health").map(h -> {
            Fields hf = Fields.of(h, v.path("health"), Set.of("uri", "port", "timeout", "expectedStatusCode"),
                    Set.of());
            return new HealthSpec(path(hf, "uri"), hf.integer("port", 0, 65535),
                    hf.optDuration("timeout", Duration.ZERO, FOREVER),
                    hf.integer("expectedStatusCode", 100, 599));
        });
        Optional<DeploymentSpec> deployment = v.value("deployment")
                .map(d -> readDeployment(d, v.path("deployment"), legacy.schema1()));
        return new VersionSpec(id, description, tags, inferenceUrl, inferencePort, health, type, attributes, secrets,
                createdAt, deployment);
    }

    private static DeploymentSpec readDeployment(JsonValue value, String path, boolean schema1) {
        Fields d = Fields.of(value, path, schema1 ? Set.of("maxRequestConcurrency", "createdAt", "updatedAt", "instances")
                : Set.of("maxRequestConcurrency", "specifications", "createdAt", "updatedAt", "instances"), Set.of());
        // absent: the deployment set none and the gateway's default applies
        int concurrency = d.optInt("maxRequestConcurrency", 1, FunctionVersion.MAX_REQUEST_CONCURRENCY).orElse(0);
        Instant createdAt = d.instant("createdAt");
        Instant updatedAt = d.instant("updatedAt");
        List<JsonObject> specifications = new ArrayList<>();
        if (schema1) {
            specifications.add(concurrency > 0 ? Json.createObjectBuilder().add("maxRequestConcurrency", concurrency)
                    .build() : JsonObject.EMPTY_JSON_OBJECT);
        } else {
            List<JsonValue> specs = d.requiredArray("specifications");
            if (specs.isEmpty()) {
                throw new IllegalArgumentException(d.path("specifications") + ": empty (a deployment has at least one)");
            }
            for (int k = 0; k < specs.size(); k++) {
                String at = d.path("specifications") + "[" + k + "]";
                Set<String> known = new HashSet<>(NvcfAttributes.SPECIFICATION);
                known.add("maxRequestConcurrency");
                Fields spec = Fields.of(specs.get(k), at, known, Set.of());
                int limit = spec.optInt("maxRequestConcurrency", 1, FunctionVersion.MAX_REQUEST_CONCURRENCY).orElse(0);
                if (limit > 0 && limit != concurrency) {
                    throw new IllegalArgumentException(at + ".maxRequestConcurrency: " + limit + " differs from the "
                            + "deployment's " + concurrency);
                }
                JsonObjectBuilder kept = Json.createObjectBuilder(NvcfAttributes.specification(
                        specs.get(k).asJsonObject(), at));
                if (limit > 0) {
                    kept.add("maxRequestConcurrency", limit);
                }
                specifications.add(kept.build());
            }
        }
        List<InstanceSpec> instances = new ArrayList<>();
        List<JsonValue> array = d.requiredArray("instances");
        for (int i = 0; i < array.size(); i++) {
            Fields in = Fields.of(array.get(i), d.path("instances") + "[" + i + "]", schema1
                    ? Set.of("id", "url", "kind", "ttl", "addedAt")
                    : Set.of("id", "url", "kind", "ttl", "addedAt", "specification"), Set.of());
            UUID id = in.uuid("id");
            URI url = InstanceSpec.url(in.string("url"), in.path("url"));
            String kindName = in.string("kind");
            InstanceSpec.Kind kind;
            try {
                kind = InstanceSpec.Kind.valueOf(kindName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(in.path("kind") + ": " + kindName + " is not a known kind");
            }
            OptionalInt specification = OptionalInt.empty();
            if (kind == InstanceSpec.Kind.DEPLOYMENT) {
                specification = OptionalInt.of(schema1 ? 0 : in.integer("specification", 0, specifications.size() - 1));
            } else if (in.has("specification")) {
                throw new IllegalArgumentException(in.path("specification") + ": a registered instance has none");
            }
            instances.add(new InstanceSpec(id, url, kind, in.optDuration("ttl", Duration.ZERO, FOREVER),
                    in.instant("addedAt"), specification));
        }
        return new DeploymentSpec(concurrency, specifications, createdAt, updatedAt, instances);
    }

    /** A stored path (inference URL, health URI): it starts with / as the management API made sure. */
    private static String path(Fields fields, String name) {
        String value = fields.string(name);
        if (!value.startsWith("/")) {
            throw new IllegalArgumentException(fields.path(name) + ": " + value + " (expected: a path starting with /)");
        }
        return value;
    }
}
