package io.fngate.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Registry;
import io.fngate.registry.VersionStatus;

/**
 * Resolves requests to the versions that may serve them: parses the target, checks it against the registry and
 * keeps the named version, else every version with a serving instance (deployed, not lapsed, passing health
 * checks); a request that none can serve fails with {@link RouteFailure.Kind#NO_INSTANCE}.
 * <p>
 * Thread-safe and non-blocking. Not responsible for choosing the instance, concurrency limits or queueing (the
 * {@link Dispatcher} does that), nor for deciding health: the registry's health checks do.
 */
public final class Router {
    private final Registry registry;
    private final TargetParser parser;
    private Router(Registry registry, List<String> domains) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.parser = new TargetParser(domains);
    }

    /**
     * Creates a router.
     *
     * @param registry where functions are looked up
     * @param domains  accepted invocation domains ({@code <domain>} in {@code {id}.invocation.<domain>});
     *                 empty accepts any domain
     * @return router
     */
    public static Router create(Registry registry, List<String> domains) {
        return new Router(registry, List.copyOf(domains));
    }

    /**
     * Parses the target of a request without resolving it.
     *
     * @param authority Host header or HTTP/2 {@code :authority}, port allowed
     * @param headers   request header lookup by lower-case name
     * @return target, or empty when the request names no function at all
     * @throws IllegalArgumentException never; malformed targets are reported by {@link #resolve}
     */
    public Optional<InvocationTarget> target(String authority, Function<String, Optional<String>> headers) {
        return Optional.ofNullable(parser.parse(authority, headers).target());
    }

    /**
     * Parses what a request names, without asking the registry.
     *
     * @param authority Host header or HTTP/2 {@code :authority}, port allowed
     * @param headers   request header lookup by lower-case name
     * @return the target, or a {@link RouteFailure} of kind NO_TARGET or MALFORMED_TARGET
     */
    public ParsedTarget parse(String authority, Function<String, Optional<String>> headers) {
        TargetParser.Parsed parsed = parser.parse(authority, headers);
        return parsed.failure() != null ? parsed.failure() : parsed.target();
    }

    /**
     * Resolves a request to a route.
     *
     * @param authority Host header or HTTP/2 {@code :authority}, port allowed
     * @param headers   request header lookup by lower-case name
     * @return a route or the reason there is none
     */
    public RouteResult resolve(String authority, Function<String, Optional<String>> headers) {
        TargetParser.Parsed parsed = parser.parse(authority, headers);
        if (parsed.failure() != null) {
            return parsed.failure();
        }
        return resolve(parsed.target());
    }

    /**
     * Resolves a parsed target to a route: the function and the versions that may serve it.
     *
     * @param target function and optional version
     * @return a route or the reason there is none
     */
    public RouteResult resolve(InvocationTarget target) {
        Optional<InferenceFunction> found = registry.function(target.functionId());
        if (found.isEmpty()) {
            return new RouteFailure(RouteFailure.Kind.UNKNOWN_FUNCTION,
                    "Function " + target.functionId() + " is not registered.");
        }
        InferenceFunction function = found.get();
        if (target.versionId().isPresent()) {
            Optional<FunctionVersion> named = function.version(target.versionId().get());
            if (named.isEmpty()) {
                return new RouteFailure(RouteFailure.Kind.UNKNOWN_VERSION,
                        "Function " + function.id() + " has no version " + target.versionId().get() + ".");
            }
            FunctionVersion version = named.get();
            if (!version.serving()) {
                return new RouteFailure(RouteFailure.Kind.NO_INSTANCE, version.status() == VersionStatus.INACTIVE
                        ? "Version " + version.id() + " of function " + function.id() + " is not deployed."
                        : "Version " + version.id() + " of function " + function.id() + " has no healthy instance"
                                + " (status " + version.status() + ").");
            }
            return new Route(function, target.versionId(), List.of(version));
        }
        List<FunctionVersion> serving = function.servingVersions();
        if (serving.isEmpty()) {
            boolean deployed = function.versions().stream().anyMatch(v -> v.status() != VersionStatus.INACTIVE);
            return new RouteFailure(RouteFailure.Kind.NO_INSTANCE, deployed
                    ? "Function " + function.id() + " has no healthy instance."
                    : "Function " + function.id() + " has no deployed version.");
        }
        return new Route(function, Optional.empty(), serving);
    }
}
