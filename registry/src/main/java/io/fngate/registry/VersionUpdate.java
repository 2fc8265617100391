package io.fngate.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A change of a version's metadata ({@link FunctionRegistry#updateVersion}); what is absent stays as it was.
 *
 * @param description  a new description
 * @param tags         new tags, replacing all
 * @param attributes   NVCF fields to replace ({@code rateLimit}, {@code llmInvocationConfig}), each whole
 * @param modelConfigs by model name, {@code llmConfig} fields to set in that model of {@code models}
 */
public record VersionUpdate(Optional<String> description, Optional<List<String>> tags,
                            Map<String, JsonValue> attributes, Map<String, JsonObject> modelConfigs) {

    /**
     * Checks the parts and copies the collections.
     */
    public VersionUpdate {
        Objects.requireNonNull(description, "description");
        tags = tags.map(List::copyOf);
        attributes = Map.copyOf(attributes);
        modelConfigs = Map.copyOf(modelConfigs);
        description.ifPresent(d -> VersionSpec.checkDescription(d, "description"));
        tags.ifPresent(t -> VersionSpec.checkTags(t, "tags"));
        if (!NvcfAttributes.VERSION.containsAll(attributes.keySet())) {
            throw new IllegalArgumentException("attributes: " + attributes.keySet() + " (expected: some of "
                    + NvcfAttributes.VERSION + ")");
        }
    }
}
