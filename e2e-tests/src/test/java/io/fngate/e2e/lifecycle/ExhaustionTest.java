package io.fngate.e2e.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.fngate.e2e.GatewayProcess;
import io.fngate.e2e.dispatch.CountingFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway started under a low open-files limit and driven past it by many clients never loses its public
 * socket for good, readiness tells the truth meanwhile, and no client waits forever.
 */
@Timeout(180)
class ExhaustionTest {
    private static final int FD_LIMIT = 256;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static String yaml(String instanceUrl, String extra) {
        return """
                server: { host: 127.0.0.1, port: 0 %s }
                admin: { port: 0 }
                registry: { store: memory }
                functions:
                  - id: %s
                    name: flood
                    versions:
                      - id: c0ffee02-5f6b-4e2a-8c9d-7a6b5c4d3e2f
                        max-request-concurrency: 10000
                        instances: [ { url: "%s" } ]
                """.formatted(extra, ShutdownTest.FN, instanceUrl);
    }

    @Test
    void withItsDefaultLimitsTheGatewayServesEveryClientOfAFloodInTurn() throws Exception {
        try (CountingFunction f = CountingFunction.start("f");
             GatewayProcess gw = GatewayProcess.script(yaml(f.url(), ""), FD_LIMIT, Map.of())) {
            assertTrue(gw.output.toString().contains("at most 57 client connections"), gw.output.toString());
            Readiness readiness = Readiness.watch(gw.adminPort());
            Map<String, AtomicInteger> outcomes = flood(gw.publicPort(), 400, "/work?ms=300");
            readiness.stop();
            assertEquals(Map.of("200", 400), counts(outcomes), "every client served");
            assertEquals(List.of(200), readiness.distinct(), "readiness while the socket kept accepting");
            assertEquals(200, invoke(gw.publicPort()));
            assertTrue(!gw.output.toString().contains("terminating now"), gw.output.toString());
        }
    }

    @Test
    void whenAcceptFailsThePublicSocketComesBackAndReadinessSaysSoMeanwhile() throws Exception {
        try (CountingFunction f = CountingFunction.start("f");
             GatewayProcess gw = GatewayProcess.script(yaml(f.url(), ", max-tcp-connections: -1, max-concurrent-requests: -1"), FD_LIMIT,
                     Map.of())) {
            Readiness readiness = Readiness.watch(gw.adminPort());
            Map<String, AtomicInteger> outcomes = flood(gw.publicPort(), 400, "/work?ms=2000");
            // the flood ran the process out of descriptors: the listener died and was started again
            ShutdownTest.await("the public socket answers again", () -> invoke(gw.publicPort()) == 200,
                    Duration.ofSeconds(30));
            ShutdownTest.await("readiness UP again", () -> readiness.last() == 200, Duration.ofSeconds(10));
            readiness.stop();
            assertTrue(gw.output.toString().contains("terminating now"), "the flood did not exhaust the process: "
                    + counts(outcomes));
            assertTrue(gw.output.toString().contains("accepts connections again"), gw.output.toString());
            assertTrue(readiness.distinct().stream().anyMatch(s -> s != 200),
                    "readiness said UP all along: " + readiness.distinct());
            for (String outcome : outcomes.keySet()) {
                assertTrue(outcome.equals("200") || outcome.equals("503") || outcome.startsWith("io:"),
                        "no client waits forever or gets a misleading status: " + outcomes);
            }
        }
    }

    /** {@code n} clients at once, each on its own connection; the status each got, or how it failed. */
    private Map<String, AtomicInteger> flood(int port, int n, String path) throws InterruptedException {
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                clients.submit(() -> {
                    String outcome;
                    try {
                        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(20)).build();
                        outcome = Integer.toString(own.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + port + path)).header("function-id", ShutdownTest.FN.toString())
                                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode());
                        own.close();
                    } catch (java.net.http.HttpTimeoutException e) {
                        outcome = "timeout";
                    } catch (IOException e) {
                        outcome = "io: " + e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                        outcome = "interrupted";
                    }
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                });
            }
        }
        return outcomes;
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> outcomes) {
        Map<String, Integer> plain = new java.util.TreeMap<>();
        outcomes.forEach((k, v) -> plain.put(k, v.get()));
        return plain;
    }

    private int invoke(int port) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/work"))
                    .header("function-id", ShutdownTest.FN.toString()).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** Polls /health/ready every 50 ms on a fresh connection and keeps every answer (-1: no answer). */
    static final class Readiness {
        private final List<Integer> seen = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private Thread thread;

        static Readiness watch(int adminPort) {
            Readiness r = new Readiness();
            r.thread = Thread.ofPlatform().daemon().start(() -> {
                while (!r.stop.get()) {
                    r.seen.add(status(adminPort));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            return r;
        }

        private static int status(int port) {
            try (Socket s = new Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(2000);
                s.getOutputStream().write(("GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                byte[] head = s.getInputStream().readNBytes(12);
                return head.length == 12 ? Integer.parseInt(new String(head, 9, 3,
                        java.nio.charset.StandardCharsets.ISO_8859_1)) : -1;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(5000);
        }

        int last() {
            return seen.isEmpty() ? -1 : seen.getLast();
        }

        List<Integer> distinct() {
            return new ArrayList<>(new java.util.TreeSet<>(seen));
        }
    }

}
