package io.fngate.registry;

import java.util.List;
import java.util.UUID;

/**
 * Finds functions, versions, deployments and instances in stored values, or fails with the management error
 * that names what is missing (404) or why it cannot change (409 for read-only functions).
 */
final class Lookups {
    private Lookups() {
    }

    static List<InstanceSpec> instances(FunctionSpec f) {
        return f.versions().stream().flatMap(v -> v.deployment().stream())
                .flatMap(d -> d.instances().stream()).toList();
    }

    static FunctionSpec writable(UUID functionId, FunctionSpec current) {
        if (current == null) {
            throw functionNotFound(functionId);
        }
        if (current.readOnly()) {
            throw new ManagementException(ManagementError.READ_ONLY, "Function " + functionId
                    + " is declared in the gateway configuration and cannot be changed through the API.");
        }
        return current;
    }

    static ManagementException functionNotFound(UUID functionId) {
        return new ManagementException(ManagementError.FUNCTION_NOT_FOUND, "Function " + functionId
                + " does not exist.");
    }

    static VersionSpec version(FunctionSpec f, UUID versionId) {
        return f.version(versionId).orElseThrow(() -> new ManagementException(ManagementError.VERSION_NOT_FOUND,
                "Function " + f.id() + " has no version " + versionId + "."));
    }

    static DeploymentSpec deployment(VersionSpec v) {
        return v.deployment().orElseThrow(() -> new ManagementException(ManagementError.DEPLOYMENT_NOT_FOUND,
                "Version " + v.id() + " has no deployment."));
    }

    static InstanceSpec instance(DeploymentSpec d, UUID instanceId) {
        return d.instance(instanceId).orElseThrow(() -> new ManagementException(ManagementError.INSTANCE_NOT_FOUND,
                "The deployment has no instance " + instanceId + "."));
    }
}
