package io.fngate.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.json.JsonObject;

/**
 * What a version is made of, as the client asked for it.
 *
 * @param inferenceUrl  path inference requests go to, starts with /
 * @param inferencePort port for instance URLs that name none; 0 when not set
 * @param health        how to check its instances; empty: not checked
 * @param type          kind of responses
 * @param description   free text, may be empty
 * @param tags          free labels
 * @param attributes    NVCF fields kept as sent (see {@link NvcfAttributes#version})
 * @param secrets       secret names (values are never passed to the registry)
 */
public record VersionDraft(String inferenceUrl, int inferencePort, Optional<HealthSpec> health, FunctionType type,
                           String description, List<String> tags, JsonObject attributes, List<String> secrets) {

    /**
     * Checks the parts and copies the lists.
     */
    public VersionDraft {
        Objects.requireNonNull(inferenceUrl, "inferenceUrl");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(attributes, "attributes");
        tags = List.copyOf(tags);
        secrets = List.copyOf(secrets);
        if (!inferenceUrl.startsWith("/")) {
            throw new IllegalArgumentException("inferenceUrl: " + inferenceUrl
                    + " (expected: a path such as /v1/infer)");
        }
        if (inferencePort < 0 || inferencePort > 65535) {
            throw new IllegalArgumentException("inferencePort: " + inferencePort + " (expected: 1..65535)");
        }
        VersionSpec.checkDescription(description, "description");
        VersionSpec.checkTags(tags, "tags");
        VersionSpec.checkSecretNames(secrets, "secrets");
        NvcfAttributes.version(attributes, "body");
        if (!NvcfAttributes.VERSION.containsAll(attributes.keySet())) {
            throw new IllegalArgumentException("attributes: " + attributes.keySet() + " (expected: some of "
                    + NvcfAttributes.VERSION + ")");
        }
    }

    /**
     * A version with only an inference URL: no health check, no metadata.
     *
     * @param inferenceUrl path inference requests go to
     * @return the draft
     */
    public static VersionDraft of(String inferenceUrl) {
        return new VersionDraft(inferenceUrl, 0, Optional.empty(), FunctionType.DEFAULT, "", List.of(),
                JsonObject.EMPTY_JSON_OBJECT, List.of());
    }
}
