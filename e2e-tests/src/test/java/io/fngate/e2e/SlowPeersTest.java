package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.fngate.registry.FunctionType;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.registry.VersionStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that send their body too slowly and containers that stop mid-body are cut at their timeouts, and the
 * instance's slot is free again at once.
 */
@Timeout(60)
class SlowPeersTest {
    private static final Map<String, String> FAST = Map.of("invocation.request-body-timeout", "1s",
            "invocation.response-idle-timeout", "1s");

    /** A gateway whose only instance takes one request at a time. */
    private static TestGateway oneSlot(String url) {
        return TestGateway.start(Registry.of(List.of(new InferenceFunction(TestGateway.FN, "echo", List.of(
                new FunctionVersion(TestGateway.V1, List.of(Instance.parse(url)), VersionStatus.ACTIVE, "/",
                        FunctionType.DEFAULT, 1))))), FAST);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"small", "large", "chunked"})
    void aRequestBodyThatStopsArrivingGets408AndTheSlotIsFreedAtOnce(String kind) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ScriptedFunction f = new ScriptedFunction((i, head, in, out) -> {
            seen.add(head.substring(0, head.indexOf('\r')));
            if (head.startsWith("GET")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                return true;
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // until the gateway gives up
            return false;
        }); TestGateway gw = oneSlot(f.url()); Socket client = new Socket("127.0.0.1", gw.port())) {
            String host = "Host: " + TestGateway.FN + ".invocation.example.com\r\n";
            String start = switch (kind) {
            case "small" -> "POST /x HTTP/1.1\r\n" + host + "Content-Length: 100\r\n\r\n" + "a".repeat(10);
            case "large" -> "POST /x HTTP/1.1\r\n" + host + "Content-Length: 1048576\r\n\r\n" + "a".repeat(200_000);
            default -> "POST /x HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n";
            };
            long t0 = System.nanoTime();
            client.getOutputStream().write(start.getBytes(StandardCharsets.ISO_8859_1));
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // until the gateway closes
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("application/problem+json") && answer.contains("request-body-timeout"),
                    answer);
            assertTrue(took >= 900 && took < 5000, "answered after " + took + " ms");
            if (kind.equals("small")) {
                assertEquals(List.of(), seen, "a small body is read before anything goes upstream");
            }
            // the slot is free: the next request is served at once
            HttpResponse<String> next = gw.http1.send(gw.request("/next").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, next.statusCode());
            assertSlotsFreed(gw);
        }
    }

    @Test
    void slowHeadsSilentConnectionsAndTricklingBodiesAreCutWhileOthersAreServedAsUsual() throws Exception {
        try (FakeFunction f = FakeFunction.start(); TestGateway gw = TestGateway.start(f.url(), Map.of(
                "server.edge.request-head-timeout", "1s", "server.edge.idle-timeout", "2s",
                "invocation.request-body-timeout", "1s"))) {
            String host = "Host: " + TestGateway.FN + ".invocation.example.com\r\n";
            List<Socket> attackers = new java.util.ArrayList<>();
            java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> fate =
                    new java.util.concurrent.ConcurrentHashMap<>();
            List<Thread> threads = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 90; i++) {
                Socket s = new Socket("127.0.0.1", gw.port());
                s.setSoTimeout(15_000);
                attackers.add(s);
                String kind = i % 3 == 0 ? "slow head" : i % 3 == 1 ? "silent" : "trickling body";
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        if (kind.equals("slow head")) {
                            for (byte b : ("GET /x HTTP/1.1\r\n" + host + "X-Slow: " + "a".repeat(200))
                                    .getBytes(StandardCharsets.ISO_8859_1)) {
                                s.getOutputStream().write(b);
                                Thread.sleep(100);
                            }
                        } else if (kind.equals("trickling body")) {
                            s.getOutputStream().write(("POST /sink HTTP/1.1\r\n" + host
                                    + "Content-Length: 1000000\r\n\r\n" + "a".repeat(100_000))
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        }
                        s.getInputStream().readAllBytes();
                    } catch (IOException | InterruptedException e) {
                        // cut while writing or reading: as it should
                    }
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    fate.computeIfAbsent(kind + (ms < 5000 ? " cut in time" : " cut late (" + ms + " ms)"),
                            k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                }));
            }
            // meanwhile, ordinary requests: all served, none slowed down much
            long worst = 0;
            for (int i = 0; i < 100; i++) {
                long s0 = System.nanoTime();
                HttpResponse<String> r = gw.http1.send(gw.request("/echo").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0));
                Thread.sleep(10);
            }
            for (Thread t : threads) {
                t.join(20_000);
            }
            attackers.forEach(s -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closed
                }
            });
            assertEquals(Map.of("slow head cut in time", 30, "silent cut in time", 30, "trickling body cut in time", 30),
                    fate.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                            e -> e.getValue().get())));
            assertTrue(worst < 1000, "an ordinary request took " + worst + " ms");
            assertSlotsFreed(gw);
        }
    }

    @Test
    void aContainerThatStallsInsideItsBodyIsCutAtTheIdleTimeout() throws Exception {
        try (ScriptedFunction f = new ScriptedFunction((i, head, in, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[10_000]);
            out.flush();
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }); TestGateway gw = oneSlot(f.url())) {
            long t0 = System.nanoTime();
            try (RawClient c = new RawClient(gw.port())) {
                c.send("GET /x HTTP/1.1\r\nHost: " + TestGateway.FN + ".invocation.example.com\r\n\r\n");
                // the answer started (200, 100000 bytes announced) and is then cut: the body never completes
                try {
                    RawClient.Response r = c.read(false);
                    assertEquals(200, r.status());
                    assertTrue(r.body().length < 100_000, "the cut body looked complete");
                } catch (IOException expected) {
                    // cut while reading: as good
                }
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(took >= 900 && took < 5000, "cut after " + took + " ms");
            assertSlotsFreed(gw);
        }
    }

    @Test
    void aSmallBodyThatStallsIsAnswered504BeforeAnyByteIsSent() throws Exception {
        try (ScriptedFunction f = new ScriptedFunction((i, head, in, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[100]);
            out.flush();
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }); TestGateway gw = oneSlot(f.url())) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = gw.http1.send(gw.request("/x").build(), HttpResponse.BodyHandlers.ofString());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(504, r.statusCode());
            assertTrue(r.body().contains("upstream-timeout"), r.body());
            assertTrue(took >= 900 && took < 5000, "answered after " + took + " ms");
        }
    }

    /**
     * Every slot is given back. The exchange gives its slot back just after its last response byte is written,
     * so a client can hold the whole answer a moment before: allow that moment, not more.
     */
    private static void assertSlotsFreed(TestGateway gw) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (gw.gateway.dispatcher().inFlight() != 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(0, gw.gateway.dispatcher().inFlight(), "slots still held 500 ms after the last answer");
    }
}
