package io.fngate.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.KeyStore;
import io.fngate.auth.Scope;
import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.RegistryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the API (its own route table, so a new route cannot escape) against every kind of caller: no key,
 * a key that does not exist, a key with every scope but the route's, and a key with only one of the route's scopes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopeMatrixTest {
    ApiServer api;

    @BeforeAll
    void start() {
        List<String> lines = new ArrayList<>();
        for (Scope s : Scope.values()) {
            lines.add(only(s) + " scopes=" + s.wire() + " name=only-" + s.wire());
        }
        for (ManagementApi.Route route : ManagementApi.create(FunctionRegistry.builder().store(RegistryStore.memory())
                .build(), ApiKeys.of(List.of(), KeyStore.memory(), Clock.systemUTC())).routes()) {
            EnumSet<Scope> others = EnumSet.complementOf(EnumSet.copyOf(route.scopes()));
            lines.add(allBut(route.scopes()) + " scopes=" + others.stream().map(Scope::wire)
                    .collect(Collectors.joining(",")) + " name=all-but");
        }
        api = new ApiServer(FunctionRegistry.builder().store(RegistryStore.memory()).build(),
                ApiKeys.of(lines.stream().distinct().toList(), KeyStore.memory(), Clock.systemUTC()));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    Stream<Arguments> routes() {
        return api.api.routes().stream().map(r -> Arguments.of(r.method(), r.path(), r.scopes()));
    }

    @Test
    void everyRouteNeedsAScopeAndTheTableCoversTheApi() {
        List<ManagementApi.Route> routes = api.api.routes();
        assertTrue(routes.size() >= 13, "routes: " + routes);
        routes.forEach(r -> assertFalse(r.scopes().isEmpty(), r.toString()));
    }

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @MethodSource("routes")
    void eachCallerGetsWhatItsKeyAllows(String method, String template, Set<Scope> scopes) {
        String path = concrete(template);
        String body = method.equals("POST") || method.equals("PUT") ? "{}" : null;

        ApiServer.Reply missing = api.send(method, path, body, null);
        assertProblem(missing, 401, "unauthorized");
        assertEquals("Bearer realm=\"fngate\"", missing.header("WWW-Authenticate"));

        ApiServer.Reply unknown = api.send(method, path, body, "Bearer no-such-key-0123456789");
        assertProblem(unknown, 401, "unauthorized");
        assertEquals("Bearer realm=\"fngate\", error=\"invalid_token\"", unknown.header("WWW-Authenticate"));

        ApiServer.Reply without = api.send(method, path, body, "Bearer " + allBut(scopes));
        assertProblem(without, 403, "forbidden");
        for (Scope s : scopes) {
            assertTrue(without.json().getString("detail").contains(s.wire()), without.body());
        }

        for (Scope s : scopes) {
            ApiServer.Reply with = api.send(method, path, body, "Bearer " + only(s));
            assertTrue(with.status() != 401 && with.status() != 403, s.wire() + " may call " + method + " " + template
                    + ", got " + with.status() + " " + with.body());
        }
    }

    private static void assertProblem(ApiServer.Reply r, int status, String label) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("urn:fngate:problem-details:" + label, r.json().getString("type"));
    }

    /** The template with made-up ids, so that each call reaches the route and fails late or harmlessly. */
    private static String concrete(String template) {
        return template.replaceAll("\\{[A-Za-z]+}", UUID.randomUUID().toString());
    }

    private static String only(Scope s) {
        return "only-" + s.wire().replace('_', '-') + "-0123456789";
    }

    private static String allBut(Set<Scope> scopes) {
        return "all-but-" + scopes.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).sorted()
                .collect(Collectors.joining("-")).replace('_', '-') + "-0123456789";
    }
}
