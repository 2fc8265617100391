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
            throw new RegistryException(RegistryException.Kind.READ_ONLY, "Function " + functionId
                    + " is declared in the gateway configuration and cannot be changed through the API.");
        }
        return current;
    }

    static RegistryException functionNotFound(UUID functionId) {
        return new RegistryException(RegistryException.Kind.FUNCTION_NOT_FOUND, "Function " + functionId
                + " does not exist.");
    }

    static VersionSpec version(FunctionSpec f, UUID versionId) {
        return f.version(versionId).orElseThrow(() -> new RegistryException(RegistryException.Kind.VERSION_NOT_FOUND,
                "Function " + f.id() + " has no version " + versionId + "."));
    }

    static DeploymentSpec deployment(VersionSpec v) {
        return v.deployment().orElseThrow(() -> new RegistryException(RegistryException.Kind.DEPLOYMENT_NOT_FOUND,
                "Version " + v.id() + " has no deployment."));
    }

    static InstanceSpec instance(DeploymentSpec d, UUID instanceId) {
        return d.instance(instanceId).orElseThrow(() -> new RegistryException(RegistryException.Kind.INSTANCE_NOT_FOUND,
                "The deployment has no instance " + instanceId + "."));
    }
}
