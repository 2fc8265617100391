package io.fngate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import io.fngate.registry.FunctionType;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.registry.VersionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterTest {
    static final String FN = "8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11";
    static final String V1 = "1d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f";
    static final String V2 = "2d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f";
    static final String UNDEPLOYED = "3d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f";
    static final String OTHER = "9f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11";

    private final Router router = Router.create(Registry.of(List.of(
            new InferenceFunction(UUID.fromString(FN), "echo", List.of(
                    new FunctionVersion(UUID.fromString(V1), List.of(
                            Instance.parse("http://127.0.0.1:9001"), Instance.parse("http://127.0.0.1:9002"))),
                    new FunctionVersion(UUID.fromString(V2), List.of(Instance.parse("http://127.0.0.1:9003"))),
                    new FunctionVersion(UUID.fromString(UNDEPLOYED), List.of()))),
            new InferenceFunction(UUID.fromString(OTHER), "idle", List.of()))), List.of());

    /** Empty cells mean "header absent"; the expected column is a failure kind or the version chosen. */
    @ParameterizedTest(name = "host={0} fid={1} vid={2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            FN + ".invocation.example.com, -, -, ANY",
            FN + ".INVOCATION.Example.com:8443, -, -, ANY",
            V2 + "." + FN + ".invocation.example.com, -, -, " + V2,
            "localhost:8080, " + FN + ", " + V1 + ", " + V1,
            OTHER + ".invocation.x, " + FN + ", -, ANY",
            FN + ".invocation.x, -, " + V2 + ", " + V2,
            "localhost, -, -, NO_TARGET",
            "invocation.example.com, -, -, NO_TARGET",
            FN + ".invocation, -, -, NO_TARGET",
            "not-a-uuid.invocation.example.com, -, -, MALFORMED_TARGET",
            "x." + FN + ".invocation.example.com, -, -, MALFORMED_TARGET",
            "localhost, 1-1-1-1-1, -, MALFORMED_TARGET",
            "localhost, " + FN + ", nope, MALFORMED_TARGET",
            "localhost, -, " + V1 + ", MALFORMED_TARGET",
            "localhost, 00000000-0000-0000-0000-000000000000, -, UNKNOWN_FUNCTION",
            "localhost, " + FN + ", 00000000-0000-0000-0000-000000000000, UNKNOWN_VERSION",
            "localhost, " + FN + ", " + UNDEPLOYED + ", NO_INSTANCE",
            OTHER + ".invocation.example.com, -, -, NO_INSTANCE",
    })
    void resolvesTargetsFromHeadersThenHost(String host, String fid, String vid, String expected) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (fid != null) {
            headers.put("function-id", fid);
        }
        if (vid != null) {
            headers.put("function-version-id", vid);
        }
        RouteResult result = router.resolve(host, name -> Optional.ofNullable(headers.get(name)));
        if (expected.equals("ANY") || expected.contains("-")) {
            Route route = assertInstanceOf(Route.class, result);
            if (expected.equals("ANY")) {
                assertEquals(Optional.empty(), route.pinned());
                assertEquals(Set.of(V1, V2), route.versions().stream().map(v -> v.id().toString())
                        .collect(java.util.stream.Collectors.toSet()));
            } else {
                assertEquals(Optional.of(UUID.fromString(expected)), route.pinned());
                assertEquals(List.of(expected), route.versions().stream().map(v -> v.id().toString()).toList());
            }
        } else {
            RouteFailure failure = assertInstanceOf(RouteFailure.class, result);
            assertEquals(RouteFailure.Kind.valueOf(expected), failure.kind());
        }
    }

    @Test
    void configuredDomainsRestrictInvocationHosts() {
        Router strict = Router.create(Registry.of(List.of()), List.of("fn.example.com"));
        Function<String, Optional<String>> none = n -> Optional.empty();
        assertEquals(RouteFailure.Kind.UNKNOWN_FUNCTION, ((RouteFailure) strict.resolve(
                FN + ".invocation.fn.example.com", none)).kind());
        assertEquals(RouteFailure.Kind.NO_TARGET, ((RouteFailure) strict.resolve(
                FN + ".invocation.other.com", none)).kind());
    }

    @Test
    void versionWithoutHealthyInstanceIsNeverPicked() {
        UUID fn = UUID.randomUUID();
        UUID healthy = UUID.randomUUID();
        UUID failing = UUID.randomUUID();
        Router r = Router.create(Registry.of(List.of(new InferenceFunction(fn, "f", List.of(
                new FunctionVersion(healthy, List.of(Instance.parse("http://127.0.0.1:9001"))),
                new FunctionVersion(failing, List.of(), VersionStatus.ERROR, "/", FunctionType.DEFAULT, 1))))),
                List.of());
        Route route = assertInstanceOf(Route.class, r.resolve(InvocationTarget.of(fn)));
        assertEquals(List.of(healthy), route.versions().stream().map(FunctionVersion::id).toList());
        RouteFailure named = assertInstanceOf(RouteFailure.class, r.resolve(InvocationTarget.of(fn, failing)));
        assertEquals(RouteFailure.Kind.NO_INSTANCE, named.kind());
        assertTrue(named.detail().contains("no healthy instance"), named.detail());
    }

    @Test
    void functionWhoseDeploymentsAreAllUnhealthyHasNoInstance() {
        UUID fn = UUID.randomUUID();
        Router r = Router.create(Registry.of(List.of(new InferenceFunction(fn, "f", List.of(
                new FunctionVersion(UUID.randomUUID(), List.of(), VersionStatus.DEPLOYING, "/", FunctionType.DEFAULT,
                        1))))), List.of());
        RouteFailure failure = assertInstanceOf(RouteFailure.class, r.resolve(InvocationTarget.of(fn)));
        assertEquals(RouteFailure.Kind.NO_INSTANCE, failure.kind());
        assertEquals("Function " + fn + " has no healthy instance.", failure.detail());
    }

}
