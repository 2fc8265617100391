package io.fngate.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.registry.VersionStatus;

/**
 * Resolves requests to an instance: parses the target, checks it against the registry, picks a version
 * (the named one, else a random one among those with a healthy instance) and an instance of it (round robin per
 * version). Only instances the registry lists as serving (deployed, not lapsed, passing health checks) are ever
 * picked; a version without one fails with {@link RouteFailure.Kind#NO_INSTANCE}.
 * <p>
 * Thread-safe and non-blocking. Not responsible for concurrency limits or queueing (a later dispatcher),
 * nor for deciding health: the registry's health checks do.
 */
public final class Router {
    private final Registry registry;
    private final TargetParser parser;
    private static final int MAX_CURSORS = 10_000;

    private final ConcurrentHashMap<UUID, AtomicInteger> cursors = new ConcurrentHashMap<>();

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
     * Resolves a parsed target to a route.
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
        FunctionVersion version;
        if (target.versionId().isPresent()) {
            Optional<FunctionVersion> named = function.version(target.versionId().get());
            if (named.isEmpty()) {
                return new RouteFailure(RouteFailure.Kind.UNKNOWN_VERSION,
                        "Function " + function.id() + " has no version " + target.versionId().get() + ".");
            }
            version = named.get();
            if (!version.serving()) {
                return new RouteFailure(RouteFailure.Kind.NO_INSTANCE, version.status() == VersionStatus.INACTIVE
                        ? "Version " + version.id() + " of function " + function.id() + " is not deployed."
                        : "Version " + version.id() + " of function " + function.id() + " has no healthy instance"
                                + " (status " + version.status() + ").");
            }
        } else {
            List<FunctionVersion> serving = function.servingVersions();
            if (serving.isEmpty()) {
                boolean deployed = function.versions().stream().anyMatch(v -> v.status() != VersionStatus.INACTIVE);
                return new RouteFailure(RouteFailure.Kind.NO_INSTANCE, deployed
                        ? "Function " + function.id() + " has no healthy instance."
                        : "Function " + function.id() + " has no deployed version.");
            }
            version = serving.size() == 1
                    ? serving.getFirst()
                    : serving.get(ThreadLocalRandom.current().nextInt(serving.size()));
        }
        return new Route(function, version, pick(version));
    }

    private Instance pick(FunctionVersion version) {
        List<Instance> instances = version.instances();
        if (instances.size() == 1) {
            return instances.getFirst();
        }
        if (cursors.size() > MAX_CURSORS) {
            cursors.clear(); // versions come and go through the management API: forget old ones now and then
        }
        AtomicInteger cursor = cursors.computeIfAbsent(version.id(), id -> new AtomicInteger());
        return instances.get(Math.floorMod(cursor.getAndIncrement(), instances.size()));
    }
}
