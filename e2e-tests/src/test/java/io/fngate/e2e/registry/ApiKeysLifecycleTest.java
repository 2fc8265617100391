package io.fngate.e2e.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.fngate.server.Gateway;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys made through the management API work on the public socket as soon as they are answered, stop at once when
 * revoked, and stay revoked (and the others valid) after a restart with the file store.
 */
class ApiKeysLifecycleTest {
    @TempDir
    Path dataDir;

    @Test
    void madeKeysInvokeAtOnceAndRevokedKeysStayRevokedAcrossARestart() throws Exception {
        try (ToggleFunction instance = ToggleFunction.start("served")) {
            UUID fn;
            String revoked;
            String kept;
            try (Gateway gateway = Gateways.start(dataDir, Map.of())) {
                Admin admin = new Admin(gateway.adminPort());
                JsonObject f = admin.call("POST", "/functions", "{\"name\":\"keyed\"}").json().getJsonObject("function");
                fn = UUID.fromString(f.getString("id"));
                assertEquals(200, admin.call("POST", "/deployments/functions/" + fn + "/versions/"
                        + f.getString("versionId"), "{\"instances\":[\"" + instance.url() + "\"]}").status());

                JsonObject first = key(admin, "first");
                revoked = first.getString("value");
                kept = key(admin, "second").getString("value");
                assertEquals(200, invoke(gateway, fn, revoked).statusCode(), "a new key invokes at once");
                assertEquals(200, invoke(gateway, fn, kept).statusCode());
                assertEquals(401, invoke(gateway, fn, null).statusCode());

                assertEquals(204, admin.call("DELETE", "/keys/" + first.getString("id"), null).status());
                HttpResponse<String> after = invoke(gateway, fn, revoked);
                assertEquals(401, after.statusCode(), "revoked: refused at once");
                assertEquals("Bearer realm=\"fngate\", error=\"invalid_token\"",
                        after.headers().firstValue("WWW-Authenticate").orElse(""));
                assertEquals(200, invoke(gateway, fn, kept).statusCode());
            }
            try (Gateway restarted = Gateways.start(dataDir, Map.of())) {
                assertEquals(401, invoke(restarted, fn, revoked).statusCode(), "still revoked after a restart");
                assertEquals(200, invoke(restarted, fn, kept).statusCode(), "the other key survives the restart");
                assertEquals(2, new Admin(restarted.adminPort()).call("GET", "/keys", null).json().getJsonArray("keys")
                        .size(), "the configured admin key and the kept one");
            }
        }
    }

    private static JsonObject key(Admin admin, String name) {
        Admin.Reply r = admin.call("POST", "/keys", "{\"name\":\"" + name + "\",\"scopes\":[\"invoke_function\"]}");
        assertEquals(200, r.status(), r.json().toString());
        return r.json().getJsonObject("key");
    }

    private static HttpResponse<String> invoke(Gateway gateway, UUID function, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.publicPort() + "/infer"))
                .header("function-id", function.toString())
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Gateways.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
