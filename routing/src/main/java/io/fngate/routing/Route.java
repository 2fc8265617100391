package io.fngate.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;

/**
 * A resolved invocation: the function and the versions that may serve it now. The instance is not chosen
 * here: the {@link Dispatcher} picks one with a free slot when the request is admitted.
 *
 * @param function function
 * @param pinned   the version the request named, when it named one
 * @param versions versions with at least one serving instance: the named one, or every serving version
 */
public record Route(InferenceFunction function, Optional<UUID> pinned, List<FunctionVersion> versions)
        implements RouteResult {
    /**
     * Checks for missing parts.
     */
    public Route {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(pinned, "pinned");
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("versions: empty (a route has at least one serving version)");
        }
    }
}
