package io.fngate.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A function version as stored.
 *
 * @param id            version id
 * @param inferenceUrl  path inference requests go to, starts with /
 * @param inferencePort port used for instance URLs that name none; 0 when not set
 * @param health        how to check the health of its instances; empty means instances are not checked
 * @param functionType  kind of responses
 * @param createdAt     when the version was created
 * @param deployment    the deployment; empty when the version is not deployed
 */
public record VersionSpec(UUID id, String inferenceUrl, int inferencePort, Optional<HealthSpec> health,
                   FunctionType functionType, Instant createdAt, Optional<DeploymentSpec> deployment) {

    /**
     * Checks the parts.
     */
    public VersionSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(inferenceUrl, "inferenceUrl");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(functionType, "functionType");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deployment, "deployment");
    }

    VersionSpec deployed(Optional<DeploymentSpec> newDeployment) {
        return new VersionSpec(id, inferenceUrl, inferencePort, health, functionType, createdAt, newDeployment);
    }

    /** The instance address for a stored URL: the URL's port, else the inference port, else 80. */
    Instance address(InstanceSpec instance) {
        Instance parsed = Instance.parse(instance.url().toString());
        if (instance.url().getPort() == -1 && inferencePort > 0) {
            return new Instance(parsed.host(), inferencePort, parsed.url());
        }
        return parsed;
    }
}
