package io.fngate.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.KeyStore;
import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.RegistryStore;
import io.fngate.registry.RegistryStoreException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keys API: a key made there works at once and its secret is shown only then; listing never shows secrets;
 * a revoked key stops at once; configuration keys cannot be revoked; a caller cannot give more than it has.
 */
class KeysApiTest {
    static final String KEYS = "/v2/nvcf/keys";
    /** A key that may only manage keys and list functions. */
    static final String KEEPER = "keeper-key-0123456789";
    static final String LISTER = "lister-key-0123456789";

    ApiServer api;

    @BeforeEach
    void start() {
        api = new ApiServer(FunctionRegistry.builder().store(RegistryStore.memory()).build(),
                ApiKeys.of(List.of(ApiServer.KEY, KEEPER + " scopes=manage_keys,list_functions name=keeper",
                        LISTER + " scopes=list_functions name=lister"), KeyStore.memory(), Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aKeyMadeHereWorksAtOnceAndIsShownOnce() {
        ApiServer.Reply made = api.call("POST", KEYS, "{\"name\":\"ci\",\"scopes\":[\"list_functions\",\"invoke_function\"],"
                + "\"functions\":[\"5a0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f\"]}");
        assertEquals(200, made.status(), made.body());
        JsonObject key = made.json().getJsonObject("key");
        assertEquals(Set.of("id", "name", "scopes", "functions", "createdAt", "source", "value"), key.keySet());
        assertEquals("api", key.getString("source"));
        assertEquals(List.of("invoke_function", "list_functions"), key.getJsonArray("scopes")
                .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        String secret = key.getString("value");
        assertTrue(secret.startsWith("fngate_"), secret);

        assertEquals(200, api.send("GET", "/v2/nvcf/functions", null, "Bearer " + secret).status(), "works at once");
        assertEquals(403, api.send("POST", "/v2/nvcf/functions", "{\"name\":\"x\"}", "Bearer " + secret).status(),
                "and only for its scopes");

        ApiServer.Reply listed = api.call("GET", KEYS, null);
        assertEquals(200, listed.status());
        assertFalse(listed.body().contains(secret.substring(secret.length() - 43)), "no secret in a listing");
        List<JsonObject> keys = listed.json().getJsonArray("keys").getValuesAs(JsonObject.class);
        assertEquals(4, keys.size());
        assertTrue(keys.stream().noneMatch(k -> k.containsKey("value")));
        JsonObject mine = keys.stream().filter(k -> k.getString("id").equals(key.getString("id"))).findFirst()
                .orElseThrow();
        assertEquals("ci", mine.getString("name"));
        assertTrue(keys.stream().filter(k -> k.getString("source").equals("config"))
                .noneMatch(k -> k.containsKey("createdAt")));
    }

    @Test
    void aRevokedKeyStopsAtOnce() {
        JsonObject key = api.call("POST", KEYS, "{\"name\":\"short-lived\",\"scopes\":[\"list_functions\"]}").json()
                .getJsonObject("key");
        String secret = key.getString("value");
        assertEquals(200, api.send("GET", "/v2/nvcf/functions", null, "Bearer " + secret).status());
        assertEquals(204, api.call("DELETE", KEYS + "/" + key.getString("id"), null).status());
        ApiServer.Reply after = api.send("GET", "/v2/nvcf/functions", null, "Bearer " + secret);
        assertEquals(401, after.status());
        assertEquals("Bearer realm=\"fngate\", error=\"invalid_token\"", after.header("WWW-Authenticate"));
        ApiServer.Reply again = api.call("DELETE", KEYS + "/" + key.getString("id"), null);
        assertEquals(404, again.status());
        assertEquals("urn:fngate:problem-details:key-not-found", again.json().getString("type"));
    }

    @Test
    void configurationKeysCannotBeRevokedHere() {
        String id = api.call("GET", KEYS, null).json().getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                .filter(k -> k.getString("name").equals("lister")).findFirst().orElseThrow().getString("id");
        ApiServer.Reply r = api.call("DELETE", KEYS + "/" + id, null);
        assertEquals(409, r.status());
        assertEquals("urn:fngate:problem-details:read-only-key", r.json().getString("type"));
        assertEquals(200, api.send("GET", "/v2/nvcf/functions", null, "Bearer " + LISTER).status());
    }

    @Test
    void aCallerGivesNoMoreThanItHas() {
        ApiServer.Reply wider = api.send("POST", KEYS, "{\"name\":\"x\",\"scopes\":[\"deploy_function\"]}",
                "Bearer " + KEEPER);
        assertEquals(403, wider.status());
        assertTrue(wider.json().getString("detail").contains("deploy_function"), wider.body());
        assertEquals(200, api.send("POST", KEYS, "{\"name\":\"x\",\"scopes\":[\"list_functions\"]}",
                "Bearer " + KEEPER).status());
        assertEquals(403, api.send("GET", KEYS, null, "Bearer " + LISTER).status(), "manage_keys is needed");
    }

    @Test
    void invalidKeyRequestsAreProblemsNamingTheField() {
        Map<String, String> bodies = Map.of(
                "{\"scopes\":[\"list_functions\"]}", "name: missing",
                "{\"name\":\"x\",\"scopes\":[]}", "scopes: empty",
                "{\"name\":\"x\",\"scopes\":[\"root\"]}", "scopes: root is not a scope",
                "{\"name\":\"x\",\"scopes\":[\"list_functions\"],\"functions\":[\"f\"]}", "functions[0]: f is not a UUID",
                "{\"name\":\"x\",\"scopes\":[\"list_functions\"],\"value\":\"mine\"}", "value: unknown field");
        bodies.forEach((body, detail) -> {
            ApiServer.Reply r = api.call("POST", KEYS, body);
            assertEquals(400, r.status(), body);
            assertTrue(r.json().getString("detail").startsWith(detail), r.body());
        });
        assertEquals(400, api.call("DELETE", KEYS + "/not-an-id", null).status());
        assertEquals(404, api.call("DELETE", KEYS + "/" + UUID.randomUUID(), null).status());
    }

    @Test
    void aKeyThatCannotBeStoredIsNotMade() {
        KeyStore failing = new KeyStore() {
            @Override
            public Map<UUID, JsonObject> load() {
                return Map.of();
            }

            @Override
            public void put(UUID id, JsonObject document) {
                throw new RegistryStoreException("disk full");
            }

            @Override
            public void delete(UUID id) {
                throw new RegistryStoreException("disk full");
            }
        };
        try (ApiServer broken = new ApiServer(FunctionRegistry.builder().store(RegistryStore.memory()).build(),
                ApiKeys.of(List.of(ApiServer.KEY), failing, Clock.systemUTC()))) {
            ApiServer.Reply r = broken.call("POST", KEYS, "{\"name\":\"x\",\"scopes\":[\"list_functions\"]}");
            assertEquals(500, r.status());
            assertEquals("urn:fngate:problem-details:store-failure", r.json().getString("type"));
            assertEquals(1, broken.call("GET", KEYS, null).json().getJsonArray("keys").size());
        }
    }
}
