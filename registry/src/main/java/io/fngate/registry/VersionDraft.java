package io.fngate.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * What a version is made of, as the client asked for it.
 *
 * @param inferenceUrl  path inference requests go to, starts with /
 * @param inferencePort port for instance URLs that name none; 0 when not set
 * @param health        how to check its instances; empty: not checked
 * @param type          kind of responses
 */
public record VersionDraft(String inferenceUrl, int inferencePort, Optional<HealthSpec> health, FunctionType type) {

    /**
     * Checks the parts.
     */
    public VersionDraft {
        Objects.requireNonNull(inferenceUrl, "inferenceUrl");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(type, "type");
        if (!inferenceUrl.startsWith("/")) {
            throw new IllegalArgumentException("inferenceUrl: " + inferenceUrl
                    + " (expected: a path such as /v1/infer)");
        }
        if (inferencePort < 0 || inferencePort > 65535) {
            throw new IllegalArgumentException("inferencePort: " + inferencePort + " (expected: 1..65535)");
        }
    }
}
