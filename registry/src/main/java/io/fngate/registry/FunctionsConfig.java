package io.fngate.registry;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import io.helidon.config.Config;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Reads statically declared functions ({@code functions: [...]}) from configuration, failing with the key that
 * is wrong. Such functions are read-only in the management API.
 * <p>
 * Per function: {@code id}, {@code name}, {@code description}, {@code tags}, {@code max-queue-size},
 * {@code versions}; per version:
 * {@code id}, {@code inference-url}, {@code inference-port}, {@code function-type},
 * {@code max-request-concurrency}, {@code health} ({@code uri}, {@code port}, {@code timeout},
 * {@code expected-status-code}) and {@code instances} (each {@code {url: ...}} or a URL string).
 */
final class FunctionsConfig {
    private FunctionsConfig() {
    }

    static List<FunctionSpec> parse(Config functions, Instant now) {
        List<FunctionSpec> result = new ArrayList<>();
        if (!functions.exists()) {
            return result;
        }
        Set<UUID> ids = new HashSet<>();
        for (Config fn : functions.asNodeList().orElse(List.of())) {
            UUID id = uuid(fn.get("id"));
            if (!ids.add(id)) {
                throw new IllegalArgumentException(fn.get("id").key() + ": duplicate function id " + id);
            }
            String name = fn.get("name").asString().orElse(id.toString());
            String description = fn.get("description").asString().orElse("");
            List<String> tags = fn.get("tags").asList(String.class).orElse(List.of());
            List<VersionSpec> versions = new ArrayList<>();
            for (Config v : fn.get("versions").asNodeList().orElse(List.of())) {
                versions.add(version(v, description, tags, now));
            }
            OptionalInt queue = OptionalInt.empty();
            if (fn.get("max-queue-size").exists()) {
                int size = fn.get("max-queue-size").asInt().orElse(-1);
                if (size < 0 || size > FunctionSpec.MAX_QUEUE_SIZE) {
                    throw new IllegalArgumentException(fn.get("max-queue-size").key() + ": "
                            + fn.get("max-queue-size").asString().orElse("") + " (expected: 0.." + FunctionSpec.MAX_QUEUE_SIZE
                            + ")");
                }
                queue = OptionalInt.of(size);
            }
            result.add(new FunctionSpec(id, name, now, true, queue, versions));
        }
        return result;
    }

    private static VersionSpec version(Config v, String description, List<String> tags, Instant now) {
        UUID versionId = uuid(v.get("id"));
        List<InstanceSpec> instances = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        for (Config i : v.get("instances").asNodeList().orElse(List.of())) {
            Config url = i.get("url").exists() ? i.get("url") : i;
            try {
                URI parsed = Instance.parse(url.asString().get()).url();
                if (!seen.add(parsed)) {
                    throw new IllegalArgumentException("listed twice");
                }
                byte[] name = (versionId + " " + parsed).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                instances.add(new InstanceSpec(UUID.nameUUIDFromBytes(name), parsed,
                        InstanceSpec.Kind.DEPLOYMENT, Optional.empty(), now, OptionalInt.of(0)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(url.key() + ": " + e.getMessage(), e);
            }
        }
        Optional<HealthSpec> health = Optional.empty();
        Config h = v.get("health");
        if (h.exists()) {
            String uri = h.get("uri").asString().orElseThrow(
                    () -> new IllegalArgumentException(h.get("uri").key() + ": missing (expected: a path)"));
            if (!uri.startsWith("/")) {
                throw new IllegalArgumentException(h.get("uri").key() + ": " + uri + " (expected: a path)");
            }
            health = Optional.of(new HealthSpec(uri, h.get("port").asInt().orElse(0),
                    h.get("timeout").exists() ? Optional.of(Durations.config(h.get("timeout"), null)) : Optional.empty(),
                    h.get("expected-status-code").asInt().orElse(200)));
        }
        int concurrency = v.get("max-request-concurrency").asInt().orElse(0); // 0: the gateway's default
        if (v.get("max-request-concurrency").exists()
                && (concurrency < 1 || concurrency > FunctionVersion.MAX_REQUEST_CONCURRENCY)) {
            throw new IllegalArgumentException(v.get("max-request-concurrency").key() + ": " + concurrency
                    + " (expected: 1.." + FunctionVersion.MAX_REQUEST_CONCURRENCY + ")");
        }
        String inferenceUrl = v.get("inference-url").asString().orElse("/");
        if (!inferenceUrl.startsWith("/")) {
            throw new IllegalArgumentException(v.get("inference-url").key() + ": " + inferenceUrl + " (expected: a path)");
        }
        FunctionType type = v.get("function-type").asString()
                .map(t -> FunctionType.parse(t, v.get("function-type").key().toString())).orElse(FunctionType.DEFAULT);
        JsonObject specification = concurrency > 0
                ? Json.createObjectBuilder().add("maxRequestConcurrency", concurrency).build()
                : JsonObject.EMPTY_JSON_OBJECT;
        Optional<DeploymentSpec> deployment = instances.isEmpty() ? Optional.empty()
                : Optional.of(new DeploymentSpec(concurrency, List.of(specification), now, now, instances));
        return new VersionSpec(versionId, description, tags, inferenceUrl, v.get("inference-port").asInt().orElse(0),
                health, type, JsonObject.EMPTY_JSON_OBJECT, List.of(), now, deployment);
    }

    /** The functions as a plain registry serves them: every instance taken as healthy, no checks. */
    static List<InferenceFunction> plain(List<FunctionSpec> specs, int defaultConcurrency) {
        return specs.stream().map(f -> new InferenceFunction(f.id(), f.name(), f.versions().stream()
                .map(v -> new FunctionVersion(v.id(), v.deployment().map(d -> d.instances().stream()
                        .map(v::address).toList()).orElse(List.of()),
                        v.deployment().isPresent() ? VersionStatus.ACTIVE : VersionStatus.INACTIVE, v.inferenceUrl(),
                        v.functionType(), v.deployment().map(d -> d.concurrency(defaultConcurrency))
                        .orElse(defaultConcurrency)))
                .toList(), f.maxQueueSize())).toList();
    }

    private static UUID uuid(Config node) {
        String value = node.asString().orElseThrow(
                () -> new IllegalArgumentException(node.key() + ": missing (expected: a UUID)"));
        return Fields.parseUuid(value, node.key().toString());
    }
}
