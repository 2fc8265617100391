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

import io.fngate.server.Gateway;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance that starts failing its health URI (but still answers requests) leaves the rotation within
 * interval x unhealthy-threshold while clients keep calling. Failover is shown, not assumed: both instances
 * serve before; no client request fails during the change; every request sent after the gateway reports the
 * instance unhealthy is served by the other one, and the unhealthy one receives none of them. When no instance
 * is healthy, invocations answer 503 problem.
 */
class HealthFailoverTest {
    static final long INTERVAL_MS = 100;
    static final int UNHEALTHY_THRESHOLD = 3;
    static final int CLIENTS = 4;
    /** Answered requests a phase needs before it counts as observed. */
    static final int ENOUGH = 50;

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
            String deployment = "/deployments/functions/" + fn + "/versions/" + v;
            assertEquals(200, admin.call("POST", deployment,
                    "{\"instances\":[\"" + a.url() + "\",\"" + b.url() + "\"]}").status());
            Gateways.await("both healthy", () -> "ACTIVE".equals(admin.call("GET", "/functions/" + fn + "/versions/"
                    + v, null).json().getJsonObject("function").getString("status")), Duration.ofSeconds(5));

            Clients clients = new Clients(gateway, fn);
            long failingSince;
            long outSince;
            try {
                Gateways.await("both instances serving", () -> clients.answered(Long.MIN_VALUE, "a") >= ENOUGH
                        && clients.answered(Long.MIN_VALUE, "b") >= ENOUGH, Duration.ofSeconds(10));
                failingSince = System.nanoTime();
                a.health.set(503);
                Gateways.await("a reported unhealthy", () -> health(admin, deployment, a.url()).equals("UNHEALTHY"),
                        Duration.ofSeconds(5));
                outSince = System.nanoTime();
                Gateways.await("traffic after a left", () -> clients.answered(outSince, null) >= ENOUGH
                        || !clients.failures.isEmpty(), Duration.ofSeconds(10));
            } finally {
                clients.stop();
            }

            List<Answer> answers = List.copyOf(clients.answers);
            List<Answer> afterOut = answers.stream().filter(x -> x.sentAt() >= outSince).toList();
            long duringChange = answers.stream().filter(x -> x.sentAt() >= failingSince && x.sentAt() < outSince).count();
            long lastToA = answers.stream().filter(x -> x.by().equals("a")).mapToLong(Answer::sentAt).max()
                    .orElse(Long.MIN_VALUE);
            long reportedAfterMs = (outSince - failingSince) / 1_000_000;
            long lastToAAfterMs = (lastToA - failingSince) / 1_000_000;
            System.out.println("measured: " + answers.size() + " requests answered, " + clients.failures.size()
                    + " failed, " + duringChange + " sent while a was failing but still listed; a reported unhealthy "
                    + reportedAfterMs + " ms and sent its last request " + lastToAAfterMs + " ms after its health URI "
                    + "failed (interval " + INTERVAL_MS + " ms x " + UNHEALTHY_THRESHOLD + ")");

            assertEquals(List.of(), List.copyOf(clients.failures), "no client request failed");
            assertTrue(duringChange > 0, "requests were flowing while a was being taken out");
            assertTrue(afterOut.size() >= ENOUGH, "requests after a left: " + afterOut.size());
            assertEquals(List.of(), afterOut.stream().filter(x -> !x.by().equals("b")).toList(),
                    "every request sent after a was reported unhealthy went to b");
            assertEquals(answers.stream().filter(x -> x.by().equals("a")).count(), a.served.get(),
                    "a received exactly the requests it answered, all sent before it was reported unhealthy");
            assertTrue(lastToA > failingSince, "a kept serving until its checks failed");
            assertTrue(lastToAAfterMs <= INTERVAL_MS * UNHEALTHY_THRESHOLD + 200,
                    "a was sent a request " + lastToAAfterMs + " ms after its health URI failed");

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

    /** The health the management API reports for the instance with this URL. */
    private static String health(Admin admin, String deployment, String url) {
        return admin.call("GET", deployment, null).json().getJsonObject("deployment").getJsonArray("instances")
                .getValuesAs(JsonObject.class).stream().filter(i -> i.getString("url").equals(url))
                .map(i -> i.getString("health")).findFirst().orElseThrow();
    }

    /** One answered invocation: when the client sent it ({@link System#nanoTime}) and which instance answered. */
    record Answer(long sentAt, String by) {
    }

    /** Client threads invoking the function in a loop until stopped; every outcome is kept. */
    private static final class Clients {
        final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Clients(Gateway gateway, UUID fn) {
            for (int i = 0; i < CLIENTS; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        long sentAt = System.nanoTime();
                        try {
                            HttpResponse<String> r = Gateways.invoke(gateway, fn, null);
                            if (r.statusCode() == 200) {
                                answers.add(new Answer(sentAt, r.body()));
                            } else {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Throwable e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
        }

        /** Answers to requests sent at or after {@code since}, from {@code by} (null: any instance). */
        long answered(long since, String by) {
            return answers.stream().filter(x -> x.sentAt() >= since && (by == null || x.by().equals(by))).count();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
