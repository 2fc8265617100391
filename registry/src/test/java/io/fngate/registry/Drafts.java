package io.fngate.registry;

import java.io.StringReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Drafts for tests, written as the management API's JSON for brevity (only the fields the tests use). The
 * management module's own parsing is tested there.
 */
final class Drafts {
    private Drafts() {
    }

    static FunctionDraft function(String json) {
        Fields f = Fields.of(json(json), "body", Set.of("name", "description", "tags", "inferenceUrl",
                "inferencePort", "functionType", "health", "maxQueueSize", "containerImage"), Set.of());
        Optional<HealthSpec> health = f.value("health").map(h -> {
            Fields hf = Fields.of(h, "health", Set.of("uri", "port", "timeout", "expectedStatusCode"), Set.of());
            return new HealthSpec(hf.string("uri"), hf.optInt("port", 1, 65535).orElse(0),
                    hf.optDuration("timeout", Duration.ofMillis(1), Duration.ofMinutes(5)),
                    hf.optInt("expectedStatusCode", 100, 599).orElse(200));
        });
        VersionDraft version = new VersionDraft(f.optString("inferenceUrl").orElse("/"),
                f.optInt("inferencePort", 1, 65535).orElse(0), health,
                f.optString("functionType").map(t -> FunctionType.parse(t, "functionType")).orElse(FunctionType.DEFAULT),
                f.optString("description").orElse(""), f.strings("tags"),
                NvcfAttributes.version(json(json), "body"), List.of());
        return new FunctionDraft(f.optString("name"),
                f.optInt("maxQueueSize", 0, FunctionSpec.MAX_QUEUE_SIZE).map(OptionalInt::of).orElse(OptionalInt.empty()),
                version);
    }

    static DeploymentDraft deployment(String... urls) {
        return DeploymentDraft.of(1, Arrays.stream(urls).map(u -> InstanceSpec.url(u, "url")).toList());
    }

    static RegistrationDraft registration(String url, String ttl) {
        return new RegistrationDraft(InstanceSpec.url(url, "url"), Optional.ofNullable(ttl).map(Duration::parse));
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
