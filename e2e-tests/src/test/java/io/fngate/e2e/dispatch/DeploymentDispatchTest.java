package io.fngate.e2e.dispatch;

import static io.fngate.e2e.dispatch.DispatchGateway.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fngate.e2e.registry.Admin;
import io.fngate.e2e.registry.Gateways;
import io.fngate.server.Gateway;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Deployments made through the management API: their limit holds, and an instance that leaves drains. */
@Timeout(120)
class DeploymentDispatchTest {
    @TempDir
    Path dataDir;

    @Test
    void theDeploymentsLimitHoldsAndARemovedInstanceFinishesWhatItHasButTakesNothingNew() throws Exception {
        try (CountingFunction a = CountingFunction.start("a"); CountingFunction b = CountingFunction.start("b");
             Gateway g = Gateways.start(dataDir, Map.of())) {
            Admin admin = new Admin(g.adminPort());
            JsonObject created = admin.call("POST", "/functions", "{\"name\":\"drain\"}").json().getJsonObject("function");
            String fn = created.getString("id");
            String deployment = "/deployments/functions/" + fn + "/versions/" + created.getString("versionId");
            assertEquals(200, admin.call("POST", deployment, "{\"maxRequestConcurrency\":2,\"instances\":[\""
                    + a.url() + "\",\"" + b.url() + "\"]}").status());

            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                slow.add(send(g, fn, "/work?ms=400"));
            }
            for (var r : slow) {
                assertEquals(200, r.get(20, TimeUnit.SECONDS).statusCode());
            }
            assertEquals(2, a.maxInFlight.get());
            assertEquals(2, b.maxInFlight.get());

            // a request runs on a; then a leaves the deployment
            a.paths.clear();
            CompletableFuture<HttpResponse<String>> onA;
            do {
                onA = send(g, fn, "/work?ms=1500");
                CompletableFuture<HttpResponse<String>> probe = onA;
                await("the slow request started", () -> a.inFlight.get() + b.inFlight.get() == 1,
                        Duration.ofSeconds(5));
                if (a.inFlight.get() == 1) {
                    break;
                }
                probe.get(10, TimeUnit.SECONDS); // it went to b: try again
            } while (true);
            assertEquals(200, admin.call("PUT", deployment, "{\"maxRequestConcurrency\":2,\"instances\":[\""
                    + b.url() + "\"]}").status());
            int onABefore = a.paths.size();
            for (int i = 0; i < 20; i++) {
                assertEquals(200, send(g, fn, "/work").get(10, TimeUnit.SECONDS).statusCode());
            }
            assertEquals(onABefore, a.paths.size(), "the removed instance got new requests");
            HttpResponse<String> finished = onA.get(10, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode());
            assertEquals("a", finished.body());
            await("nothing held", () -> g.dispatcher().inFlight() == 0, Duration.ofSeconds(5));
        }
    }

    @Test
    void theInstanceViewShowsRequestsInFlight() throws Exception {
        try (CountingFunction a = CountingFunction.start("a"); Gateway g = Gateways.start(dataDir, Map.of())) {
            Admin admin = new Admin(g.adminPort());
            JsonObject created = admin.call("POST", "/functions", "{\"name\":\"view\"}").json().getJsonObject("function");
            String fn = created.getString("id");
            String deployment = "/deployments/functions/" + fn + "/versions/" + created.getString("versionId");
            admin.call("POST", deployment, "{\"maxRequestConcurrency\":4,\"instances\":[\"" + a.url() + "\"]}");
            CompletableFuture<HttpResponse<String>> running = send(g, fn, "/work?ms=800");
            await("running", () -> a.inFlight.get() == 1, Duration.ofSeconds(5));
            JsonObject instance = admin.call("GET", deployment, null).json().getJsonObject("deployment")
                    .getJsonArray("instances").getJsonObject(0);
            assertEquals(1, instance.getInt("inFlight"));
            assertEquals(0, instance.getInt("consecutiveFailures"));
            assertEquals(false, instance.getBoolean("ejected"));
            assertEquals(200, running.get(10, TimeUnit.SECONDS).statusCode());
            assertTrue(admin.call("GET", deployment, null).json().getJsonObject("deployment")
                    .getJsonArray("instances").getJsonObject(0).getInt("inFlight") == 0);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(Gateway g, String fn, String path) {
        return DispatchGateway.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.publicPort()
                + path)).header("function-id", fn).header("Authorization", "Bearer " + Admin.KEY)
                .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
