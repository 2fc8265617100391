package io.fngate.e2e.dispatch;

import static io.fngate.e2e.dispatch.DispatchGateway.FN;
import static io.fngate.e2e.dispatch.DispatchGateway.V1;
import static io.fngate.e2e.dispatch.DispatchGateway.await;
import static io.fngate.e2e.dispatch.DispatchGateway.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fngate.server.Gateway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-instance limit and the function queue, seen by real clients and real instances. */
@Timeout(120)
class QueueTest {

    @Test
    void instancesNeverSeeMoreThanTheirLimitAndQueuedRequestsGoInArrivalOrder() throws Exception {
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CountingFunction a = CountingFunction.start("a", 0, order);
             CountingFunction b = CountingFunction.start("b", 0, order)) {
            Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 2, List.of(a.url(), b.url()))),
                    Map.of());
            try {
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                for (int n = 0; n < 20; n++) {
                    // service times 50 ms apart: slots free one at a time, so the order of dispatch is also the
                    // order in which requests reach the instances
                    calls.add(DispatchGateway.CLIENT.sendAsync(request(g, "/work?ms=" + (300 + 50 * n) + "&n=" + n)
                            .build(), HttpResponse.BodyHandlers.ofString()));
                    int sent = n + 1;
                    // arrival order is what the queue must keep: each request is in before the next leaves
                    await("request " + n + " admitted or queued",
                            () -> g.dispatcher().inFlight() + g.dispatcher().queued() == sent
                                    || a.served.get() + b.served.get() > 0, Duration.ofSeconds(5));
                }
                for (CompletableFuture<HttpResponse<String>> c : calls) {
                    assertEquals(200, c.get(30, TimeUnit.SECONDS).statusCode());
                }
                assertTrue(a.maxInFlight.get() <= 2, "a saw " + a.maxInFlight.get() + " at once");
                assertTrue(b.maxInFlight.get() <= 2, "b saw " + b.maxInFlight.get() + " at once");
                assertEquals(20, a.served.get() + b.served.get());
                // the first four went at once; the other sixteen left the queue in the order they came. Two requests
                // granted close together may still reach their instances in either order (threads race), so a later
                // one may arrive before an earlier one only by a few milliseconds
                java.util.Map<Integer, Long> at = new java.util.HashMap<>(a.arrivedAt);
                at.putAll(b.arrivedAt);
                for (int i = 4; i < 20; i++) {
                    for (int j = i + 1; j < 20; j++) {
                        long early = TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(j));
                        assertTrue(early < 40, "request " + j + " reached an instance " + early + " ms before " + i
                                + ", which was queued before it; arrivals: " + order);
                    }
                }
                assertEquals(0, g.dispatcher().inFlight());
                assertEquals(0, g.dispatcher().queued());
            } finally {
                g.close();
            }
        }
    }

    @Test
    void requestNoInstanceTakesInTimeGets504ProblemAtItsDeadline() throws Exception {
        try (CountingFunction a = CountingFunction.start("a")) {
            Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 1, List.of(a.url()))), Map.of());
            try {
                CompletableFuture<HttpResponse<String>> holder = DispatchGateway.CLIENT.sendAsync(
                        request(g, "/work?ms=3000").build(), HttpResponse.BodyHandlers.ofString());
                await("slot taken", () -> a.inFlight.get() == 1, Duration.ofSeconds(5));
                long t0 = System.nanoTime();
                HttpResponse<String> late = DispatchGateway.CLIENT.send(request(g, "/work?n=1")
                        .header("NVCF-POLL-SECONDS", "1").build(), HttpResponse.BodyHandlers.ofString());
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(504, late.statusCode());
                assertTrue(waited >= 950 && waited < 2500, "answered after " + waited + " ms");
                assertEquals("application/problem+json", late.headers().firstValue("content-type").orElse(""));
                JsonObject problem = Json.createReader(new StringReader(late.body())).readObject();
                assertEquals("urn:fngate:problem-details:queue-timeout", problem.getString("type"));
                assertTrue(problem.getString("detail").contains("accepted the request in time"), late.body());
                assertEquals(late.headers().firstValue("nvcf-reqid").orElseThrow(), problem.getString("requestId"));
                assertEquals(200, holder.get(10, TimeUnit.SECONDS).statusCode());
                assertEquals(List.of(), a.arrivals, "the timed-out request reached the instance");
            } finally {
                g.close();
            }
        }
    }

    @Test
    void fullQueueAnswers429WithRetryAfter() throws Exception {
        try (CountingFunction a = CountingFunction.start("a")) {
            Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 1, List.of(a.url()))),
                    Map.of("dispatch.max-queue-size", "1", "dispatch.retry-after", "3s"));
            try {
                var holder = DispatchGateway.CLIENT.sendAsync(request(g, "/work?ms=1500").build(),
                        HttpResponse.BodyHandlers.ofString());
                await("slot taken", () -> a.inFlight.get() == 1, Duration.ofSeconds(5));
                var queued = DispatchGateway.CLIENT.sendAsync(request(g, "/work?n=2").build(),
                        HttpResponse.BodyHandlers.ofString());
                await("one queued", () -> g.dispatcher().queued() == 1, Duration.ofSeconds(5));
                HttpResponse<String> refused = DispatchGateway.CLIENT.send(request(g, "/work?n=3").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(429, refused.statusCode());
                assertEquals("3", refused.headers().firstValue("retry-after").orElse(""));
                JsonObject problem = Json.createReader(new StringReader(refused.body())).readObject();
                assertEquals("urn:fngate:problem-details:queue-full", problem.getString("type"));
                assertEquals("errored", refused.headers().firstValue("nvcf-status").orElse(""));
                assertEquals(200, holder.get(10, TimeUnit.SECONDS).statusCode());
                assertEquals(200, queued.get(10, TimeUnit.SECONDS).statusCode());
                assertEquals(List.of(2), a.arrivals);
            } finally {
                g.close();
            }
        }
    }

    @Test
    void queuedClientsThatLeaveAreDroppedAtOnceAndNeverReachAnInstance() throws Exception {
        try (CountingFunction a = CountingFunction.start("a")) {
            Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 1, List.of(a.url()))), Map.of());
            try {
                var holder = DispatchGateway.CLIENT.sendAsync(request(g, "/work?ms=2000").build(),
                        HttpResponse.BodyHandlers.ofString());
                await("slot taken", () -> a.inFlight.get() == 1, Duration.ofSeconds(5));
                // HTTP/1.1 without a body: noticed while queued
                Socket http1 = rawRequest(g, "GET /work?n=11 HTTP/1.1\r\nHost: " + FN
                        + ".invocation.example.com\r\n\r\n");
                await("http/1.1 request queued", () -> g.dispatcher().queued() == 1, Duration.ofSeconds(5));
                http1.close();
                await("http/1.1 request dropped", () -> g.dispatcher().queued() == 0, Duration.ofMillis(500));
                // HTTP/2: a cancelled request resets its stream, noticed while queued
                HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
                var cancelled = h2.sendAsync(request(g, "/work?n=12").build(), HttpResponse.BodyHandlers.ofString());
                await("http/2 request queued", () -> g.dispatcher().queued() == 1, Duration.ofSeconds(5));
                cancelled.cancel(true);
                await("http/2 request dropped", () -> g.dispatcher().queued() == 0, Duration.ofMillis(1000));
                // HTTP/1.1 with a small body: its body waits in the socket, so the departure is seen when it is read,
                // before anything goes upstream
                Socket withBody = rawRequest(g, "POST /work?n=13 HTTP/1.1\r\nHost: " + FN
                        + ".invocation.example.com\r\nContent-Length: 10\r\n\r\n12345");
                await("http/1.1 post queued", () -> g.dispatcher().queued() == 1, Duration.ofSeconds(5));
                withBody.close();
                assertEquals(200, holder.get(10, TimeUnit.SECONDS).statusCode());
                await("all done", () -> g.dispatcher().queued() == 0 && g.dispatcher().inFlight() == 0,
                        Duration.ofSeconds(5));
                Thread.sleep(200);
                assertEquals(List.of(), a.arrivals, "a request whose client left reached the instance");
                assertEquals(1, a.paths.size());
            } finally {
                g.close();
            }
        }
    }

    @Test
    void anEventStreamHoldsItsSlotUntilItEnds() throws Exception {
        try (CountingFunction a = CountingFunction.start("a")) {
            Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 1, List.of(a.url()))), Map.of());
            try {
                var stream = DispatchGateway.CLIENT.sendAsync(request(g, "/stream?events=10&gap=100").build(),
                        HttpResponse.BodyHandlers.ofString());
                await("stream started", () -> a.inFlight.get() == 1, Duration.ofSeconds(5));
                var next = DispatchGateway.CLIENT.sendAsync(request(g, "/work?n=1").build(),
                        HttpResponse.BodyHandlers.ofString());
                await("the next request queued", () -> g.dispatcher().queued() == 1, Duration.ofSeconds(5));
                Thread.sleep(300);
                assertEquals(1, g.dispatcher().queued(), "the stream gave its slot up before it ended");
                HttpResponse<String> s = stream.get(10, TimeUnit.SECONDS);
                assertEquals(200, s.statusCode());
                assertTrue(s.body().contains("data: 9"));
                assertEquals(200, next.get(10, TimeUnit.SECONDS).statusCode());
            } finally {
                g.close();
            }
        }
    }

    @Test
    void versionsThatSetNoLimitGetTheConfiguredDefault() throws Exception {
        try (CountingFunction a = CountingFunction.start("a")) {
            Gateway g = DispatchGateway.start(List.of(), Map.of(
                    "functions.0.versions.0.id", V1.toString(),
                    "functions.0.versions.0.instances.0.url", a.url(),
                    "dispatch.max-request-concurrency", "3"));
            try {
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 9; i++) {
                    calls.add(DispatchGateway.CLIENT.sendAsync(request(g, "/work?ms=200").build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (var c : calls) {
                    assertEquals(200, c.get(30, TimeUnit.SECONDS).statusCode());
                }
                assertEquals(3, a.maxInFlight.get());
            } finally {
                g.close();
            }
        }
    }

    private static Socket rawRequest(Gateway g, String raw) throws Exception {
        Socket s = new Socket("127.0.0.1", g.publicPort());
        OutputStream out = s.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream ignored = s.getInputStream();
        assertFalse(s.isClosed());
        return s;
    }
}
