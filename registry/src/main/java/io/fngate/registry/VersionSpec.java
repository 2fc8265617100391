package io.fngate.registry;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.json.JsonObject;

/**
 * A function version as stored.
 *
 * @param id            version id
 * @param description   free text, may be empty
 * @param tags          free labels
 * @param inferenceUrl  path inference requests go to, starts with /
 * @param inferencePort port used for instance URLs that name none; 0 when not set
 * @param health        how to check the health of its instances; empty means instances are not checked
 * @param functionType  kind of responses
 * @param attributes    NVCF fields kept as sent ({@link NvcfAttributes#VERSION})
 * @param secrets       names of the secrets the client gave; their values are never kept (fngate starts no
 *                      container to give them to)
 * @param createdAt     when the version was created
 * @param deployment    the deployment; empty when the version is not deployed
 */
public record VersionSpec(UUID id, String description, List<String> tags, String inferenceUrl, int inferencePort,
                          Optional<HealthSpec> health, FunctionType functionType, JsonObject attributes,
                          List<String> secrets, Instant createdAt, Optional<DeploymentSpec> deployment) {
    /** Longest description accepted. */
    public static final int MAX_DESCRIPTION = 1024;
    /** Most tags a version may have (NVCF's limit). */
    public static final int MAX_TAGS = 64;
    /** Longest tag accepted (NVCF's limit). */
    public static final int MAX_TAG_LENGTH = 128;

    /**
     * Checks the parts and copies the lists.
     */
    public VersionSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inferenceUrl, "inferenceUrl");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(functionType, "functionType");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deployment, "deployment");
        tags = List.copyOf(tags);
        secrets = List.copyOf(secrets);
    }

    VersionSpec deployed(Optional<DeploymentSpec> newDeployment) {
        return new VersionSpec(id, description, tags, inferenceUrl, inferencePort, health, functionType, attributes,
                secrets, createdAt, newDeployment);
    }

    VersionSpec described(String newDescription, List<String> newTags, JsonObject newAttributes) {
        return new VersionSpec(id, newDescription, newTags, inferenceUrl, inferencePort, health, functionType,
                newAttributes, secrets, createdAt, deployment);
    }

    /** The instance address for a stored URL: the URL's port, else the inference port, else 80. */
    Instance address(InstanceSpec instance) {
        Instance parsed = Instance.parse(instance.url().toString());
        if (instance.url().getPort() == -1 && inferencePort > 0) {
            return new Instance(parsed.host(), inferencePort, parsed.url());
        }
        return parsed;
    }

    /**
     * Checks a description: at most {@value #MAX_DESCRIPTION} characters.
     *
     * @param description the text
     * @param field       where it came from, for the message
     * @throws IllegalArgumentException {@code <field>: longer than 1024 characters}
     */
    public static void checkDescription(String description, String field) {
        if (description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException(field + ": longer than " + MAX_DESCRIPTION + " characters");
        }
    }

    /**
     * Checks tags against NVCF's limits: at most {@value #MAX_TAGS}, each 1 to {@value #MAX_TAG_LENGTH} characters.
     *
     * @param tags  the tags
     * @param field where they came from, for the message
     * @throws IllegalArgumentException naming the tag
     */
    public static void checkTags(List<String> tags, String field) {
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException(field + ": " + tags.size() + " tags (expected: at most " + MAX_TAGS
                    + ")");
        }
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
                throw new IllegalArgumentException(field + "[" + i + "]: expected 1 to " + MAX_TAG_LENGTH
                        + " characters");
            }
        }
    }

    /**
     * Checks secret names: each 1 to 256 characters without control characters, each once.
     *
     * @param names the names
     * @param field where they came from, for the message ({@code secrets})
     * @throws IllegalArgumentException naming the entry (never a value: only names reach here)
     */
    public static void checkSecretNames(List<String> names, String field) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isEmpty() || name.length() > 256 || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(field + "[" + i + "].name: expected 1 to 256 printable characters");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(field + "[" + i + "].name: " + name + " is listed twice");
            }
        }
    }
}
