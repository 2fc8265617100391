package io.fngate.e2e.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.fngate.server.Gateway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions created, deployed, scaled, undeployed and deleted through the management API are invocable on the
 * public socket at once, without a restart, and are still there after one.
 */
class ManagedFunctionLifecycleTest {
    static final String STATIC_FN = "3b9d0c6e-1111-4c55-9a1e-3b9b6f0c2d11";
    static final String STATIC_V = "3b9d0c6e-2222-4c55-9a1e-3b9b6f0c2d11";

    @TempDir
    Path dataDir;

    @Test
    void createDeployAndInvokeWithoutRestart() throws Exception {
        try (ToggleFunction a = ToggleFunction.start("a"); ToggleFunction b = ToggleFunction.start("b");
             ToggleFunction configured = ToggleFunction.start("configured");
             Gateway gateway = Gateways.start(dataDir, Map.of(
                     "functions.0.id", STATIC_FN,
                     "functions.0.name", "from-config",
                     "functions.0.versions.0.id", STATIC_V,
                     "functions.0.versions.0.instances.0.url", configured.url()))) {
            Admin admin = new Admin(gateway.adminPort());
            Admin.Reply created = admin.call("POST", "/functions",
                    "{\"name\":\"lifecycle\",\"inferenceUrl\":\"/infer\",\"health\":{\"uri\":\"/health\"}}");
            assertEquals(200, created.status());
            UUID fn = UUID.fromString(created.json().getJsonObject("function").getString("id"));
            String v = created.json().getJsonObject("function").getString("versionId");
            String deployment = "/deployments/functions/" + fn + "/versions/" + v;

            assertProblem(Gateways.invoke(gateway, fn, null), 503, "no-capacity");

            assertEquals(200, admin.call("POST", deployment, "{\"maxRequestConcurrency\":2,\"instances\":[\""
                    + a.url() + "\"]}").status());
            awaitStatus(admin, fn, v, "ACTIVE");
            HttpResponse<String> first = Gateways.invoke(gateway, fn, null);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("a", first.body());

            Admin.Reply joined = admin.call("POST", deployment + "/instances", "{\"url\":\"" + b.url()
                    + "\",\"ttl\":\"PT30S\"}");
            assertEquals(201, joined.status());
            Gateways.await("b serves", () -> served(gateway, fn, v).contains("b"), Duration.ofSeconds(5));
            assertEquals(Set.of("a", "b"), served(gateway, fn, v));

            assertEquals(200, admin.call("PUT", deployment, "{\"instances\":[]}").status());
            assertEquals(Set.of("b"), served(gateway, fn, v), "a left with the new deployment, b stays registered");

            assertEquals(200, admin.call("DELETE", deployment, null).status());
            assertProblem(Gateways.invoke(gateway, fn, v), 503, "no-capacity");
            assertEquals(204, admin.call("DELETE", "/functions/" + fn + "/versions/" + v, null).status());
            assertProblem(Gateways.invoke(gateway, fn, null), 404, "function-not-found");

            HttpResponse<String> fromConfig = Gateways.invoke(gateway, UUID.fromString(STATIC_FN), null);
            assertEquals("configured", fromConfig.body());
            JsonObject listed = admin.call("GET", "/functions/" + STATIC_FN + "/versions/" + STATIC_V, null).json()
                    .getJsonObject("function");
            assertTrue(listed.getBoolean("readOnly"));
            assertEquals(409, admin.call("DELETE", "/functions/" + STATIC_FN + "/versions/" + STATIC_V, null).status());
        }
    }

    @Test
    void acknowledgedFunctionsServeAgainAfterARestart() throws Exception {
        try (ToggleFunction a = ToggleFunction.start("a")) {
            UUID fn;
            try (Gateway gateway = Gateways.start(dataDir, Map.of())) {
                Admin admin = new Admin(gateway.adminPort());
                JsonObject f = admin.call("POST", "/functions", "{\"name\":\"durable\"}").json().getJsonObject("function");
                fn = UUID.fromString(f.getString("id"));
                assertEquals(200, admin.call("POST", "/deployments/functions/" + fn + "/versions/"
                        + f.getString("versionId"), "{\"instances\":[\"" + a.url() + "\"]}").status());
                assertEquals("a", Gateways.invoke(gateway, fn, null).body(), "no health check: serves at once");
            }
            try (Gateway restarted = Gateways.start(dataDir, Map.of())) {
                assertEquals("a", Gateways.invoke(restarted, fn, null).body());
            }
        }
    }

    @Test
    void managementApiIsServedOnTheAdminSocketOnly() throws Exception {
        try (Gateway gateway = Gateways.start(dataDir, Map.of())) {
            assertEquals(200, new Admin(gateway.adminPort()).call("GET", "/functions", null).status());
            HttpResponse<String> onPublic = Gateways.CLIENT.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + gateway.publicPort() + "/v2/nvcf/functions"))
                    .header("Authorization", "Bearer " + Admin.KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertProblem(onPublic, 404, "function-not-found");
        }
    }

    /** Who answers eight invocations. */
    private static Set<String> served(Gateway gateway, UUID fn, String version) {
        Set<String> names = new HashSet<>();
        try {
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> r = Gateways.invoke(gateway, fn, version);
                assertEquals(200, r.statusCode(), r.body());
                names.add(r.body());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        return names;
    }

    private static void awaitStatus(Admin admin, UUID fn, String version, String status) throws InterruptedException {
        Gateways.await("status " + status, () -> status.equals(admin.call("GET", "/functions/" + fn + "/versions/"
                + version, null).json().getJsonObject("function").getString("status")), Duration.ofSeconds(5));
    }

    static void assertProblem(HttpResponse<String> r, int status, String label) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonObject p = Json.createReader(new StringReader(r.body())).readObject();
        assertEquals("urn:fngate:problem-details:" + label, p.getString("type"));
    }
}
