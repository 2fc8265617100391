package io.fngate.management;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.fngate.registry.DeploymentDraft;
import io.fngate.registry.Fields;
import io.fngate.registry.FunctionDraft;
import io.fngate.registry.FunctionSpec;
import io.fngate.registry.FunctionType;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.HealthSpec;
import io.fngate.registry.InstanceSpec;
import io.fngate.registry.RegistrationDraft;
import io.fngate.registry.VersionDraft;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Validates management API request bodies into the registry's drafts. Every failure is an
 * {@link IllegalArgumentException} whose message starts with the offending field.
 */
final class Requests {
    private static final Set<String> FUNCTION_FIELDS = Set.of("name", "description", "tags", "inferenceUrl",
            "inferencePort", "health", "functionType", "maxQueueSize");
    /** NVCF fields about containers and hosting that a gateway in front of running instances does not use. */
    private static final Set<String> IGNORED_FUNCTION_FIELDS = Set.of("containerImage", "containerArgs",
            "containerEnvironment", "apiBodyFormat", "helmChart", "helmChartServiceName", "models", "resources",
            "secrets");
    private static final Set<String> HEALTH_FIELDS = Set.of("protocol", "uri", "port", "timeout",
            "expectedStatusCode");
    private static final Set<String> SPEC_FIELDS = Set.of("maxRequestConcurrency", "instances");
    /** NVCF deployment specification fields about GPU capacity, accepted and ignored. */
    private static final Set<String> IGNORED_SPEC_FIELDS = Set.of("gpu", "instanceType", "backend",
            "minInstances", "maxInstances", "clusters", "regions", "configuration", "availabilityZones",
            "attributes", "preferredOrder");
    static final Duration MIN_TTL = Duration.ofSeconds(1);
    static final Duration MAX_TTL = Duration.ofDays(1);

    private Requests() {
    }

    /** {@code POST /functions} (name required) and {@code POST /functions/{id}/versions} (name optional). */
    static FunctionDraft function(JsonValue body, boolean nameRequired) {
        Fields f = Fields.of(body, "body", FUNCTION_FIELDS, IGNORED_FUNCTION_FIELDS);
        Optional<String> name = f.optString("name");
        if (name.isEmpty() && nameRequired) {
            throw new IllegalArgumentException("name: missing");
        }
        name.ifPresent(n -> FunctionSpec.checkName(n, "name"));
        Optional<String> description = f.optString("description");
        description.ifPresent(d -> {
            if (d.length() > 1024) {
                throw new IllegalArgumentException("description: longer than 1024 characters");
            }
        });
        Optional<List<String>> tags = f.has("tags") ? Optional.of(f.strings("tags")) : Optional.empty();
        String inferenceUrl = f.optString("inferenceUrl").orElse("/");
        if (!inferenceUrl.startsWith("/") || !validPath(inferenceUrl)) {
            throw new IllegalArgumentException("inferenceUrl: " + inferenceUrl + " (expected: a path such as /v1/infer)");
        }
        int port = f.optInt("inferencePort", 1, 65535).orElse(0);
        Optional<HealthSpec> health = f.value("health").map(h -> health(h));
        FunctionType type = f.optString("functionType").map(t -> FunctionType.parse(t, "functionType"))
                .orElse(FunctionType.DEFAULT);
        OptionalInt queue = f.optInt("maxQueueSize", 0, FunctionSpec.MAX_QUEUE_SIZE).map(OptionalInt::of)
                .orElse(OptionalInt.empty());
        return new FunctionDraft(name, description, tags, queue, new VersionDraft(inferenceUrl, port, health, type));
    }

    private static HealthSpec health(JsonValue value) {
        Fields h = Fields.of(value, "health", HEALTH_FIELDS, Set.of());
        String protocol = h.optString("protocol").orElse("HTTP");
        if (!protocol.equalsIgnoreCase("HTTP")) {
            throw new IllegalArgumentException("health.protocol: " + protocol + " (only HTTP is supported)");
        }
        String uri = h.string("uri");
        if (!uri.startsWith("/") || !validPath(uri)) {
            throw new IllegalArgumentException("health.uri: " + uri + " (expected: a path such as /health)");
        }
        return new HealthSpec(uri, h.optInt("port", 1, 65535).orElse(0),
                h.optDuration("timeout", Duration.ofMillis(1), Duration.ofMinutes(5)),
                h.optInt("expectedStatusCode", 100, 599).orElse(200));
    }

    /**
     * A deployment body: {@code {"maxRequestConcurrency": n, "instances": [...]}}, or NVCF's
     * {@code {"deploymentSpecifications": [{...}]}} with exactly one specification of the same fields.
     */
    static DeploymentDraft deployment(JsonValue body) {
        Set<String> known = new HashSet<>(SPEC_FIELDS);
        known.add("deploymentSpecifications");
        Fields top = Fields.of(body, "body", known, Set.of());
        Fields spec = top;
        String path = "";
        if (top.has("deploymentSpecifications")) {
            if (top.has("maxRequestConcurrency") || top.has("instances")) {
                throw new IllegalArgumentException("deploymentSpecifications: give either deploymentSpecifications or "
                        + "maxRequestConcurrency and instances, not both");
            }
            List<JsonValue> specs = top.array("deploymentSpecifications");
            if (specs.size() != 1) {
                throw new IllegalArgumentException("deploymentSpecifications: expected exactly one specification");
            }
            path = "deploymentSpecifications[0].";
            spec = Fields.of(specs.getFirst(), "deploymentSpecifications[0]", SPEC_FIELDS, IGNORED_SPEC_FIELDS);
        }
        // absent: the gateway's default (dispatch.max-request-concurrency) applies
        int concurrency = spec.optInt("maxRequestConcurrency", 1, FunctionVersion.MAX_REQUEST_CONCURRENCY).orElse(0);
        List<URI> urls = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        List<JsonValue> instances = spec.array("instances");
        for (int i = 0; i < instances.size(); i++) {
            String field = path + "instances[" + i + "]";
            JsonValue entry = instances.get(i);
            URI url;
            if (entry instanceof JsonString s) {
                url = instanceUrl(s.getString(), field);
            } else {
                Fields in = Fields.of(entry, field, Set.of("url"), Set.of());
                url = instanceUrl(in.string("url"), in.path("url"));
            }
            if (!seen.add(url)) {
                throw new IllegalArgumentException(field + ": " + url + " is listed twice");
            }
            urls.add(url);
        }
        return new DeploymentDraft(concurrency, urls);
    }

    static RegistrationDraft registration(JsonValue body) {
        Fields f = Fields.of(body, "body", Set.of("url", "ttl"), Set.of());
        return new RegistrationDraft(instanceUrl(f.string("url"), "url"), f.optDuration("ttl", MIN_TTL, MAX_TTL));
    }

    /** An instance base URL in normal form (see {@link InstanceSpec#url}). */
    static URI instanceUrl(String value, String field) {
        return InstanceSpec.url(value, field);
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
