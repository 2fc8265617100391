package io.fngate.routing;

import java.util.Objects;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;

/**
 * A resolved invocation: the function, the version chosen and the instance to call.
 *
 * @param function function
 * @param version  chosen version
 * @param instance chosen instance of that version
 */
public record Route(InferenceFunction function, FunctionVersion version, Instance instance) implements RouteResult {
    /**
     * Checks for missing parts.
     */
    public Route {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(instance, "instance");
    }
}
