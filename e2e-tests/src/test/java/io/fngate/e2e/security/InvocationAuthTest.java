package io.fngate.e2e.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.Scope;
import io.fngate.e2e.dispatch.CountingFunction;
import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may invoke what on the public socket, by bearer key and scope. */
class InvocationAuthTest {
    static final UUID FN = UUID.fromString("a11ce000-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID OTHER = UUID.fromString("b0b00000-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID NOWHERE = UUID.fromString("dead0000-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final String ALL = "key-for-everything-0123456789";
    static final String ONLY_FN = "key-for-one-function-0123456";
    static final String LISTER = "key-that-lists-only-01234567";
    static final String ONLY_OTHER_LISTS = "key-other-and-listing-012345";
    static final String INVOKER = "key-invokes-all-no-listing-0";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private Gateway start(String instanceUrl) {
        Map<String, String> c = new HashMap<>();
        c.put("server.host", "127.0.0.1");
        c.put("server.port", "0");
        c.put("admin.port", "0");
        c.put("registry.data-dir", dataDir.toString());
        c.put("auth.keys.0", ALL);
        c.put("auth.keys.1", ONLY_FN + " scopes=invoke_function functions=" + FN);
        c.put("auth.keys.2", LISTER + " scopes=list_functions");
        c.put("auth.keys.3", ONLY_OTHER_LISTS + " scopes=invoke_function,list_functions functions=" + OTHER);
        c.put("auth.keys.4", INVOKER + " scopes=invoke_function");
        for (UUID fn : new UUID[] {FN, OTHER}) {
            int i = fn.equals(FN) ? 0 : 1;
            c.put("functions." + i + ".id", fn.toString());
            c.put("functions." + i + ".versions.0.id", UUID.nameUUIDFromBytes(fn.toString().getBytes()).toString());
            c.put("functions." + i + ".versions.0.max-request-concurrency", "16");
            c.put("functions." + i + ".versions.0.instances.0.url", instanceUrl);
        }
        return Gateway.start(Config.just(ConfigSources.create(c)));
    }

    private static HttpResponse<String> invoke(Gateway g, UUID fn, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.publicPort() + "/work"))
                .header("function-id", fn.toString()).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0} on {1} -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
            "-, FN, 401, unauthorized",
            "'Basic YWxhZGRpbjpvcGVuc2VzYW1l', FN, 401, unauthorized",
            "Bearer, FN, 401, unauthorized",
            "Bearer not-a-key-we-know-000, FN, 401, unauthorized",
            "Bearer " + ALL + ", FN, 200, -",
            "Bearer " + ALL + ", NOWHERE, 404, function-not-found",
            "Bearer " + ONLY_FN + ", FN, 200, -",
            "Bearer " + ONLY_FN + ", OTHER, 403, forbidden",
            "Bearer " + ONLY_FN + ", NOWHERE, 403, forbidden",
            "Bearer " + LISTER + ", FN, 403, forbidden",
            "Bearer " + ONLY_OTHER_LISTS + ", OTHER, 200, -",
            "Bearer " + ONLY_OTHER_LISTS + ", FN, 403, forbidden",
            "Bearer " + INVOKER + ", FN, 200, -",
            "Bearer " + INVOKER + ", NOWHERE, 403, forbidden",
    })
    void eachKeyMayDoWhatItsScopesSay(String authorization, String fn, int status, String type) throws Exception {
        try (CountingFunction f = CountingFunction.start("f"); Gateway g = start(f.url())) {
            UUID function = switch (fn) {
            case "FN" -> FN;
            case "OTHER" -> OTHER;
            default -> NOWHERE;
            };
            HttpResponse<String> r = invoke(g, function, authorization);
            assertEquals(status, r.statusCode(), r.body());
            if (type != null) {
                JsonObject problem = Json.createReader(new StringReader(r.body())).readObject();
                assertEquals("urn:fngate:problem-details:" + type, problem.getString("type"));
                assertEquals(r.headers().firstValue("nvcf-reqid").orElseThrow(), problem.getString("requestId"));
            }
            if (status == 401) {
                String challenge = r.headers().firstValue("www-authenticate").orElse("");
                assertTrue(challenge.startsWith("Bearer realm=\"fngate\""), challenge);
                assertEquals(authorization != null && authorization.startsWith("Bearer not"),
                        challenge.contains("invalid_token"));
            }
            if (status != 200) {
                assertEquals(0, f.served.get(), "a refused request reached the container");
            }
        }
    }

    @Test
    void aKeyThatMayNotListCannotTellAnUnknownFunctionFromAForbiddenOne() throws Exception {
        try (CountingFunction f = CountingFunction.start("f"); Gateway g = start(f.url())) {
            HttpResponse<String> forbidden = invoke(g, OTHER, "Bearer " + ONLY_FN);
            HttpResponse<String> unknown = invoke(g, NOWHERE, "Bearer " + ONLY_FN);
            assertEquals(forbidden.statusCode(), unknown.statusCode());
            assertEquals(strip(forbidden, OTHER), strip(unknown, NOWHERE));
        }
    }

    /**
     * The problem body without what differs by construction: the request id, the trace id (each request starts a
     * trace) and the function id asked for.
     */
    private static String strip(HttpResponse<String> r, UUID asked) {
        return r.body().replace(r.headers().firstValue("nvcf-reqid").orElseThrow(), "ID").replace(asked.toString(), "FN")
                .replaceAll("\"traceId\":\"[0-9a-f]{32}\"", "\"traceId\":\"T\"");
    }

    @Test
    void theKeyNeverReachesTheContainer() throws Exception {
        try (io.fngate.e2e.ScriptedFunctionProbe probe = io.fngate.e2e.ScriptedFunctionProbe.start();
             Gateway g = start(probe.url())) {
            assertEquals(200, invoke(g, FN, "Bearer " + ALL).statusCode());
            String head = probe.lastHead();
            assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("authorization"), head);
            assertFalse(head.contains(ALL), head);
        }
    }

    @Test
    void aKeyMadeThroughTheApiWorksAtOnceAndARevokedOneStopsAtOnceAndForGood() throws Exception {
        try (CountingFunction f = CountingFunction.start("f")) {
            ApiKeys.Created made;
            try (Gateway g = start(f.url())) {
                made = g.keys().create("ci", EnumSet.of(Scope.INVOKE_FUNCTION), Optional.empty());
                assertEquals(200, invoke(g, FN, "Bearer " + made.key()).statusCode());
                assertTrue(g.keys().revoke(made.info().id()));
                assertEquals(401, invoke(g, FN, "Bearer " + made.key()).statusCode());
                ApiKeys.Created kept = g.keys().create("kept", EnumSet.of(Scope.INVOKE_FUNCTION), Optional.empty());
                made = kept;
            }
            try (Gateway restarted = start(f.url())) {
                assertEquals(200, invoke(restarted, FN, "Bearer " + made.key()).statusCode(), "a kept key survives");
                assertTrue(restarted.keys().revoke(made.info().id()));
            }
            try (Gateway again = start(f.url())) {
                assertEquals(401, invoke(again, FN, "Bearer " + made.key()).statusCode(), "revocation survives");
            }
        }
    }
}
