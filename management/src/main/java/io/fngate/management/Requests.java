package io.fngate.management;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.fngate.auth.Scope;
import io.fngate.registry.DeploymentDraft;
import io.fngate.registry.Fields;
import io.fngate.registry.FunctionDraft;
import io.fngate.registry.FunctionSpec;
import io.fngate.registry.FunctionType;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.HealthSpec;
import io.fngate.registry.InstanceSpec;
import io.fngate.registry.NvcfAttributes;
import io.fngate.registry.RegistrationDraft;
import io.fngate.registry.VersionDraft;
import io.fngate.registry.VersionUpdate;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Validates management API request bodies (NVCF's fields, plus fngate's own) into the registry's drafts. Every
 * failure is an {@link IllegalArgumentException} whose message starts with the offending field, and never repeats
 * a secret's value.
 */
final class Requests {
    /** Fields of a function (version) request that fngate reads itself; {@link NvcfAttributes#VERSION} are kept. */
    private static final Set<String> FUNCTION_FIELDS = Set.of("name", "description", "tags", "inferenceUrl",
            "inferencePort", "health", "healthUri", "functionType", "secrets", "maxQueueSize");
    private static final Set<String> HEALTH_FIELDS = Set.of("protocol", "uri", "port", "timeout",
            "expectedStatusCode");
    /** fngate's own fields of a deployment specification (and of its short form). */
    private static final Set<String> FNGATE_SPEC_FIELDS = Set.of("maxRequestConcurrency", "instances");
    private static final Set<String> UPDATE_FIELDS = Set.of("description", "tags", "rateLimit", "modelUpdates",
            "llmInvocationConfig");
    private static final Set<String> LLM_CONFIG_UPDATES = Set.of("tokenRateLimit", "routingMethod",
            "inputTokenRateLimit", "outputTokenRateLimit");
    static final Duration MIN_TTL = Duration.ofSeconds(1);
    static final Duration MAX_TTL = Duration.ofDays(1);

    private Requests() {
    }

    /** A key to make: its label, what it may do, and the functions it may invoke (empty: all). */
    record KeyRequest(String name, Set<Scope> scopes, Optional<Set<UUID>> functions) {
    }

    /** {@code POST /functions} (name required) and {@code POST /functions/{id}/versions} (name optional). */
    static FunctionDraft function(JsonValue body, boolean nameRequired) {
        Set<String> known = new HashSet<>(FUNCTION_FIELDS);
        known.addAll(NvcfAttributes.VERSION);
        Fields f = Fields.of(body, "body", known, Set.of());
        Optional<String> name = f.optString("name");
        if (name.isEmpty() && nameRequired) {
            throw new IllegalArgumentException("name: missing");
        }
        name.ifPresent(n -> FunctionSpec.checkName(n, "name"));
        String inferenceUrl = f.optString("inferenceUrl").orElse("/");
        if (!inferenceUrl.startsWith("/") || !validPath(inferenceUrl)) {
            throw new IllegalArgumentException("inferenceUrl: " + inferenceUrl + " (expected: a path such as /v1/infer)");
        }
        int port = f.optInt("inferencePort", 1, 65535).orElse(0);
        Optional<HealthSpec> health = f.value("health").map(Requests::health);
        if (health.isEmpty()) { // NVCF's deprecated form of a health check
            health = f.optString("healthUri").map(uri -> new HealthSpec(path(uri, "healthUri"), 0, Optional.empty(),
                    200));
        }
        FunctionType type = f.optString("functionType").map(t -> FunctionType.parse(t, "functionType"))
                .orElse(FunctionType.DEFAULT);
        OptionalInt queue = f.optInt("maxQueueSize", 0, FunctionSpec.MAX_QUEUE_SIZE).map(OptionalInt::of)
                .orElse(OptionalInt.empty());
        VersionDraft version = new VersionDraft(inferenceUrl, port, health, type, f.optString("description").orElse(""),
                f.strings("tags"), NvcfAttributes.version(body.asJsonObject(), "body"), secretNames(f));
        return new FunctionDraft(name, queue, version);
    }

    /**
     * NVCF's {@code secrets: [{"name", "value"}]}: the names only. The values go no further than this method, so
     * that they are never stored, returned or logged.
     */
    private static List<String> secretNames(Fields f) {
        List<String> names = new ArrayList<>();
        List<JsonValue> secrets = f.array("secrets");
        for (int i = 0; i < secrets.size(); i++) {
            Fields s = Fields.of(secrets.get(i), "secrets[" + i + "]", Set.of("name", "value"), Set.of());
            names.add(s.string("name"));
            if (!s.has("value")) {
                throw new IllegalArgumentException(s.path("value") + ": missing");
            }
        }
        return names;
    }

    private static HealthSpec health(JsonValue value) {
        Fields h = Fields.of(value, "health", HEALTH_FIELDS, Set.of());
        String protocol = h.optString("protocol").orElse("HTTP");
        if (!protocol.equalsIgnoreCase("HTTP")) {
            throw new IllegalArgumentException("health.protocol: " + protocol + " (only HTTP is supported)");
        }
        return new HealthSpec(path(h.string("uri"), "health.uri"), h.optInt("port", 1, 65535).orElse(0),
                h.optDuration("timeout", Duration.ofMillis(1), Duration.ofMinutes(5)),
                h.optInt("expectedStatusCode", 100, 599).orElse(200));
    }

    private static String path(String value, String field) {
        if (!value.startsWith("/") || !validPath(value)) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: a path such as /health)");
        }
        return value;
    }

    /**
     * {@code PUT /functions/{id}/versions/{vid}} and NVCF's older {@code PUT /metadata/...}: NVCF's
     * {@code tags}, {@code rateLimit}, {@code llmInvocationConfig} and {@code modelUpdates}, and fngate's
     * {@code description}; at least one.
     */
    static VersionUpdate update(JsonValue body) {
        Fields f = Fields.of(body, "body", UPDATE_FIELDS, Set.of());
        if (UPDATE_FIELDS.stream().noneMatch(f::has)) {
            throw new IllegalArgumentException("body: names nothing to change (expected: at least one of "
                    + UPDATE_FIELDS.stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
        JsonObjectBuilder replaced = Json.createObjectBuilder();
        for (String name : List.of("rateLimit", "llmInvocationConfig")) {
            f.value(name).ifPresent(v -> replaced.add(name, v));
        }
        Map<String, JsonValue> attributes = new HashMap<>(NvcfAttributes.version(replaced.build(), "body"));
        Map<String, JsonObject> models = new HashMap<>();
        List<JsonValue> updates = f.array("modelUpdates");
        for (int i = 0; i < updates.size(); i++) {
            String at = "modelUpdates[" + i + "]";
            Fields u = Fields.of(updates.get(i), at, Set.of("modelName", "llmConfig"), Set.of());
            String model = u.string("modelName");
            Fields config = Fields.of(u.value("llmConfig").orElseThrow(
                    () -> new IllegalArgumentException(at + ".llmConfig: missing")), at + ".llmConfig",
                    LLM_CONFIG_UPDATES, Set.of());
            JsonObjectBuilder set = Json.createObjectBuilder();
            for (String name : LLM_CONFIG_UPDATES) {
                config.optString(name).ifPresent(v -> set.add(name, v));
            }
            JsonObject fields = set.build();
            if (fields.isEmpty()) {
                throw new IllegalArgumentException(at + ".llmConfig: names nothing to change (expected: "
                        + LLM_CONFIG_UPDATES.stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
            if (models.put(model, fields) != null) {
                throw new IllegalArgumentException(at + ".modelName: " + model + " is listed twice");
            }
        }
        return new VersionUpdate(f.optString("description"), f.has("tags") ? Optional.of(f.strings("tags"))
                : Optional.empty(), attributes, models);
    }

    /**
     * A deployment body: NVCF's {@code {"deploymentSpecifications": [{...}, ...]}}, each specification with its
     * instances ({@code instances}, an fngate field), or fngate's short form
     * {@code {"maxRequestConcurrency": n, "instances": [...]}}.
     */
    static DeploymentDraft deployment(JsonValue body) {
        Set<String> known = new HashSet<>(FNGATE_SPEC_FIELDS);
        known.add("deploymentSpecifications");
        Fields top = Fields.of(body, "body", known, Set.of());
        Set<URI> seen = new HashSet<>();
        if (!top.has("deploymentSpecifications")) {
            DeploymentDraft.Specification only = specification(top, "", JsonObject.EMPTY_JSON_OBJECT, seen);
            return DeploymentDraft.of(only.maxRequestConcurrency(), only.instances());
        }
        if (top.has("maxRequestConcurrency") || top.has("instances")) {
            throw new IllegalArgumentException("deploymentSpecifications: give either deploymentSpecifications or "
                    + "maxRequestConcurrency and instances, not both");
        }
        List<JsonValue> specs = top.array("deploymentSpecifications");
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("deploymentSpecifications: empty (expected: at least one)");
        }
        Set<String> specFields = new HashSet<>(FNGATE_SPEC_FIELDS);
        specFields.addAll(NvcfAttributes.SPECIFICATION);
        List<DeploymentDraft.Specification> result = new ArrayList<>();
        for (int k = 0; k < specs.size(); k++) {
            String at = "deploymentSpecifications[" + k + "]";
            Fields spec = Fields.of(specs.get(k), at, specFields, Set.of());
            result.add(specification(spec, at + ".", NvcfAttributes.specification(specs.get(k).asJsonObject(), at),
                    seen));
        }
        return new DeploymentDraft(result);
    }

    private static DeploymentDraft.Specification specification(Fields spec, String prefix, JsonObject attributes,
                                                               Set<URI> seen) {
        // absent: the gateway's default (dispatch.max-request-concurrency) applies
        int concurrency = spec.optInt("maxRequestConcurrency", 1, FunctionVersion.MAX_REQUEST_CONCURRENCY).orElse(0);
        List<URI> urls = new ArrayList<>();
        List<JsonValue> instances = spec.array("instances");
        for (int i = 0; i < instances.size(); i++) {
            String field = prefix + "instances[" + i + "]";
            JsonValue entry = instances.get(i);
            URI url;
            if (entry instanceof JsonString s) {
                url = InstanceSpec.url(s.getString(), field);
            } else {
                Fields in = Fields.of(entry, field, Set.of("url"), Set.of());
                url = InstanceSpec.url(in.string("url"), in.path("url"));
            }
            if (!seen.add(url)) {
                throw new IllegalArgumentException(field + ": " + url + " is listed twice");
            }
            urls.add(url);
        }
        return new DeploymentDraft.Specification(attributes, concurrency, urls);
    }

    static RegistrationDraft registration(JsonValue body) {
        Fields f = Fields.of(body, "body", Set.of("url", "ttl"), Set.of());
        return new RegistrationDraft(InstanceSpec.url(f.string("url"), "url"), f.optDuration("ttl", MIN_TTL, MAX_TTL));
    }

    /** {@code POST /keys}: {@code {"name", "scopes": [...], "functions": [...]?}}. */
    static KeyRequest key(JsonValue body) {
        Fields f = Fields.of(body, "body", Set.of("name", "scopes", "functions"), Set.of());
        String name = f.string("name");
        if (name.isBlank() || name.length() > 128 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name: expected 1 to 128 printable characters");
        }
        List<String> wire = f.requiredStrings("scopes");
        if (wire.isEmpty()) {
            throw new IllegalArgumentException("scopes: empty (expected: at least one scope)");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < wire.size(); i++) {
            String s = wire.get(i);
            scopes.add(Scope.parse(s).orElseThrow(() -> new IllegalArgumentException("scopes: " + s
                    + " is not a scope (expected: " + EnumSet.allOf(Scope.class).stream().map(Scope::wire)
                    .collect(Collectors.joining(", ")) + ")")));
        }
        Optional<Set<UUID>> functions = Optional.empty();
        if (f.has("functions")) {
            List<String> ids = f.strings("functions");
            Set<UUID> set = new HashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                set.add(Fields.parseUuid(ids.get(i), "functions[" + i + "]"));
            }
            functions = Optional.of(set);
        }
        return new KeyRequest(name, scopes, functions);
    }

    private static boolean validPath(String path) {
        try {
            URI uri = new URI(path);
            return uri.getScheme() == null && uri.getRawAuthority() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
