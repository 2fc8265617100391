package io.fngate.e2e.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.fngate.server.Gateway;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance that starts failing its health URI (but still answers requests) leaves the rotation within
 * interval x unhealthy-threshold while clients keep calling: no client request fails, and traffic moves to the
 * healthy instance. When no instance is healthy, invocations answer 503 problem.
 */
class HealthFailoverTest {
    static final long INTERVAL_MS = 100;
    static final int UNHEALTHY_THRESHOLD = 3;
    static final int CLIENTS = 4;

    @TempDir
    Path dataDir;

    @Test
    void trafficShiftsToTheHealthyInstanceWithoutAFailedRequest() throws Exception {
        try (ToggleFunction a = ToggleFunction.start("a"); ToggleFunction b = ToggleFunction.start("b");
             Gateway gateway = Gateways.start(dataDir, Map.of())) {
            Admin admin = new Admin(gateway.adminPort());
            JsonObject f = admin.call("POST", "/functions", "{\"name\":\"failover\",\"health\":{\"uri\":\"/health\"}}")
                    .json().getJsonObject("function");
            UUID fn = UUID.fromString(f.getString("id"));
            String v = f.getString("versionId");
            assertEquals(201, admin.call("POST", "/deployments/functions/" + fn + "/versions/" + v,
                    "{\"instances\":[\"" + a.url() + "\",\"" + b.url() + "\"]}").status());
            Gateways.await("both healthy", () -> "ACTIVE".equals(admin.call("GET", "/functions/" + fn + "/versions/"
                    + v, null).json().getJsonObject("function").getString("status")), Duration.ofSeconds(5));

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong lastFromA = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong requests = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = Gateways.invoke(gateway, fn, null);
                            requests.incrementAndGet();
                            if (r.statusCode() != 200) {
                                failures.add(r.statusCode() + " " + r.body());
                            } else if (r.body().equals("a")) {
                                lastFromA.set(System.nanoTime());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            Thread.sleep(500);
            int servedByABefore = a.served.get();
            long failingSince = System.nanoTime();
            a.health.set(503);
            Thread.sleep(INTERVAL_MS * UNHEALTHY_THRESHOLD + 700);
            running.set(false);
            for (Thread c : clients) {
                c.join();
            }
            long leftAfterMs = (lastFromA.get() - failingSince) / 1_000_000;
            System.out.println("measured: " + requests.get() + " requests, " + failures.size() + " failed; instance a "
                    + "served its last request " + leftAfterMs + " ms after its health URI failed (interval "
                    + INTERVAL_MS + " ms x " + UNHEALTHY_THRESHOLD + ")");
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(servedByABefore > 0, "a served before");
            assertTrue(leftAfterMs <= INTERVAL_MS * UNHEALTHY_THRESHOLD + 200, "a served " + leftAfterMs + " ms later");
            int servedByA = a.served.get();
            for (int i = 0; i < 20; i++) {
                assertEquals("b", Gateways.invoke(gateway, fn, null).body());
            }
            assertEquals(servedByA, a.served.get());

            b.health.set(503);
            Gateways.await("no healthy instance", () -> {
                try {
                    return Gateways.invoke(gateway, fn, v).statusCode() == 503;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, Duration.ofSeconds(3));
            HttpResponse<String> none = Gateways.invoke(gateway, fn, v);
            ManagedFunctionLifecycleTest.assertProblem(none, 503, "no-capacity");
            assertTrue(none.body().contains("no healthy instance"), none.body());
        }
    }
}
