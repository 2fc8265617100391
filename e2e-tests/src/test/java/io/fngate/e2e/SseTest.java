package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server-Sent Events through the gateway: timing, exact bytes, keep-alive comments, deadlines, departed and
 * slow clients, over HTTP/1.1 and HTTP/2.
 */
@Timeout(60)
class SseTest {
    static final List<SseFunction.Step> SCRIPT = List.of(
            new SseFunction.Step(0, ": comment line\n\nretry: 2500\n\n"),
            new SseFunction.Step(300, "id: 1\nevent: token\ndata: {\"t\":\"Hel\"}\n\n"),
            new SseFunction.Step(300, "data: line one\ndata: line two\r\n\r\n"),
            new SseFunction.Step(350, "id: 2\r\nevent: token\r\ndata: {\"t\":\"lo\"}\r\n\r\n"),
            new SseFunction.Step(300, "data: ünïcödé ✓\rdata: cr only\r\r"),
            new SseFunction.Step(300, "data: [DONE]\n\n"));
    static final List<SseFunction.Step> SILENCE = List.of(
            new SseFunction.Step(0, "data: first\n\n"),
            new SseFunction.Step(1300, "data: after silence\n\n"));

    private static SseFunction function;
    private static SseFunction silent;
    private static TestGateway gw;
    private static TestGateway quick;

    @BeforeAll
    static void start() throws Exception {
        function = new SseFunction(SCRIPT);
        silent = new SseFunction(SILENCE);
        gw = TestGateway.start(function.url(), Map.of());
        quick = TestGateway.start(silent.url(), Map.of(
                "invocation.sse-keep-alive", "300ms",
                "invocation.request-timeout", "3s",
                "invocation.client-write-timeout", "1s"));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        quick.close();
        function.close();
        silent.close();
    }

    private static List<String> pieces() {
        return SCRIPT.stream().map(SseFunction.Step::bytes).toList();
    }

    private static String sseRequest(String method, String path, String body) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + TestGateway.invocationHost(TestGateway.FN) + "\r\n"
                + "Accept: text/event-stream\r\nLast-Event-ID: 7\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static SseFunction.Served lastServed(SseFunction f) {
        SseFunction.Served last = null;
        for (SseFunction.Served s : f.served) {
            last = s;
        }
        return last;
    }

    private static void assertEachEventArrivedBeforeTheNextWasEmitted(List<Long> arrivals, List<Long> emitted) {
        assertEquals(SCRIPT.size(), arrivals.size());
        for (int k = 0; k + 1 < arrivals.size(); k++) {
            assertTrue(arrivals.get(k) < emitted.get(k + 1),
                    "event " + k + " arrived " + (arrivals.get(k) - emitted.get(k + 1)) / 1e6
                            + " ms after event " + (k + 1) + " was emitted");
        }
    }

    @Test
    void http1EventsArriveBeforeTheNextIsEmittedByteForByte() throws Exception {
        // the spec's streaming example: a POST with a JSON body and Accept: text/event-stream
        StreamReader.Http1Stream s = StreamReader.open(gw.port(),
                sseRequest("POST", "/v1/chat/completions", "{\"stream\":true}"));
        try (java.net.Socket socket = s.socket()) {
            assertTrue(s.status().startsWith("HTTP/1.1 200"), s.status());
            assertTrue(s.headers().contains("content-type: text/event-stream"), s.headers());
            assertTrue(s.headers().contains("cache-control: no-cache"), s.headers());
            assertTrue(s.headers().contains("x-accel-buffering: no"), s.headers());
            StreamReader.Arrivals got = StreamReader.await(s.body(), pieces());
            SseFunction.Served served = lastServed(function);
            assertEachEventArrivedBeforeTheNextWasEmitted(got.at(), served.emittedAt);
            assertEquals(function.scriptBytes(), got.text());
            assertEquals(-1, s.body().read(), "stream must end when the container ends it");
            assertTrue(served.requestHead.contains("\r\nLast-Event-ID: 7\r\n"), served.requestHead);
            assertTrue(served.requestHead.contains("\r\nAccept: text/event-stream\r\n"), served.requestHead);
        }
    }

    @Test
    void http2EventsArriveBeforeTheNextIsEmittedByteForByte() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        h2.send(gw.request("/warm").build(), HttpResponse.BodyHandlers.discarding()); // opens the h2 connection
        HttpResponse<InputStream> res = h2.send(gw.request("/stream").header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(HttpClient.Version.HTTP_2, res.version());
        assertEquals("no-cache", res.headers().firstValue("cache-control").orElseThrow());
        try (InputStream body = res.body()) {
            StreamReader.Arrivals got = StreamReader.await(body, pieces());
            assertEachEventArrivedBeforeTheNextWasEmitted(got.at(), lastServed(function).emittedAt);
            assertEquals(function.scriptBytes(), got.text());
        }
    }

    @Test
    void chunkedNdjsonWithoutContentLengthIsFlushedAsItArrives() throws Exception {
        StreamReader.Http1Stream s = StreamReader.open(gw.port(), sseRequest("GET", "/ndjson", ""));
        try (java.net.Socket socket = s.socket()) {
            assertTrue(s.headers().contains("content-type: application/x-ndjson"), s.headers());
            assertFalse(s.headers().contains("x-accel-buffering"), s.headers());
            StreamReader.Arrivals got = StreamReader.await(s.body(), pieces());
            assertEachEventArrivedBeforeTheNextWasEmitted(got.at(), lastServed(function).emittedAt);
            assertEquals(function.scriptBytes(), got.text());
        }
    }

    @Test
    void nonStreamAnswerToAStreamRequestPassesThrough() throws Exception {
        HttpResponse<String> res = gw.http1.send(gw.request("/json").header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"not\":\"a stream\"}", res.body());
        assertEquals("application/json", res.headers().firstValue("content-type").orElseThrow());
        assertTrue(res.headers().firstValue("x-accel-buffering").isEmpty());
    }

    @Test
    void http1ClientLeavingMidStreamIsSeenByTheContainerWithin250Ms() throws Exception {
        for (int round = 0; round < 3; round++) {
            StreamReader.Http1Stream s = StreamReader.open(gw.port(), sseRequest("GET", "/endless", ""));
            StreamReader.await(s.body(), List.of("data: token 2\n\n"));
            SseFunction.Served served = lastServed(function);
            long closed = System.nanoTime();
            s.socket().close();
            awaitClose(served, closed, 250);
        }
    }

    @Test
    void http2StreamResetIsSeenWithin250MsAndOtherStreamsGoOn() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        h2.send(gw.request("/warm").build(), HttpResponse.BodyHandlers.discarding());
        InputStream first = h2.send(gw.request("/endless").build(), HttpResponse.BodyHandlers.ofInputStream()).body();
        SseFunction.Served firstServed = lastServed(function);
        InputStream second = h2.send(gw.request("/endless").build(), HttpResponse.BodyHandlers.ofInputStream()).body();
        SseFunction.Served secondServed = lastServed(function);
        StreamReader.await(first, List.of("data: token 2\n\n"));
        StreamReader.await(second, List.of("data: token 2\n\n"));
        long reset = System.nanoTime();
        first.close(); // the JDK client cancels the stream: RST_STREAM on a live connection
        awaitClose(firstServed, reset, 250);
        StreamReader.Arrivals more = StreamReader.await(second, List.of("data: token 8\n\n"));
        assertEquals(1, more.at().size(), "the other stream stopped: " + more.text());
        assertEquals(0, secondServed.closedAt);
        second.close();
    }

    @Test
    void keepAliveCommentsFillASilenceAndNeverSplitAnEvent() throws Exception {
        StreamReader.Http1Stream s = StreamReader.open(quick.port(), sseRequest("GET", "/quiet", ""));
        try (java.net.Socket socket = s.socket()) {
            StreamReader.Arrivals got = StreamReader.await(s.body(),
                    List.of("data: first\n\n", "data: after silence\n\n"));
            String between = got.text().substring("data: first\n\n".length(),
                    got.text().length() - "data: after silence\n\n".length());
            assertTrue(between.matches("(: keep-alive\n\n){2,}"), "between the events: [" + between + "]");
        }
    }

    @Test
    void clientLeavingDuringASilenceIsNoticedWithinOneKeepAliveInterval() throws Exception {
        StreamReader.Http1Stream s = StreamReader.open(quick.port(), sseRequest("GET", "/quiet", ""));
        StreamReader.await(s.body(), List.of("data: first\n\n"));
        SseFunction.Served served = lastServed(silent);
        long closed = System.nanoTime();
        s.socket().close();
        awaitClose(served, closed, 300);
    }

    @Test
    void requestTimeoutEndsAnEndlessStreamCleanly() throws Exception {
        long start = System.nanoTime();
        StreamReader.Http1Stream s = StreamReader.open(quick.port(), sseRequest("GET", "/endless", ""));
        try (java.net.Socket socket = s.socket()) {
            byte[] all = s.body().readAllBytes(); // a clean end: the terminating chunk arrives
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds > 2.5 && seconds < 5, "ended after " + seconds + " s");
            assertTrue(new String(all, java.nio.charset.StandardCharsets.UTF_8).endsWith("\n\n"));
        }
        SseFunction.Served served = lastServed(silent);
        awaitClose(served, System.nanoTime(), 1000);
    }

    @Test
    void slowClientIsDisconnectedAfterTheWriteTimeout() throws Exception {
        StreamReader.Http1Stream s = StreamReader.open(quick.port(), sseRequest("GET", "/firehose", ""));
        try (java.net.Socket socket = s.socket()) {
            SseFunction.Served served = lastServed(silent);
            long start = System.nanoTime();
            while (served.closedAt == 0) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "slow client never cut");
                Thread.sleep(50);
            }
            // the client read nothing; buffers filled, the gateway's write blocked for 1 s, then it cut both sides
            assertTrue(served.emittedAt.size() < 2000, "memory unbounded? emitted " + served.emittedAt.size());
        }
    }

    @Test
    void twoHundredDisconnectsLeaveNoUpstreamConnectionBehind() throws Exception {
        List<Thread> clients = new ArrayList<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger disconnected = new AtomicInteger();
        for (int c = 0; c < 20; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10; i++) {
                    try {
                        StreamReader.Http1Stream s = StreamReader.open(gw.port(), sseRequest("GET", "/endless", ""));
                        try (Socket socket = s.socket()) { // closed mid-stream: the disconnect under test
                            assertTrue(s.status().startsWith("HTTP/1.1 200"), s.status());
                            StreamReader.Arrivals first = StreamReader.await(s.body(), List.of("data: token 0\n\n"));
                            assertEquals(1, first.at().size(), "the stream ended before its first event: "
                                    + first.text());
                        }
                        disconnected.incrementAndGet();
                    } catch (Throwable e) { // assertion errors too: a client thread's failure is the test's
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : clients) {
            t.join();
        }
        if (!failures.isEmpty()) {
            AssertionError failed = new AssertionError(failures.size() + " of 200 streams failed before the "
                    + "disconnect; the first: " + failures.peek(), failures.peek());
            failures.stream().skip(1).limit(5).forEach(failed::addSuppressed);
            throw failed;
        }
        assertEquals(200, disconnected.get());
        long start = System.nanoTime();
        while (gw.gateway.openUpstreamConnections() > 0 || function.open.get() > 0) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "leak: gateway upstream="
                    + gw.gateway.openUpstreamConnections() + ", container=" + function.open.get());
            Thread.sleep(20);
        }
    }

    private static void awaitClose(SseFunction.Served served, long since, long withinMs) throws InterruptedException {
        assertNotNull(served);
        long deadline = since + TimeUnit.MILLISECONDS.toNanos(withinMs + 2000);
        while (served.closedAt == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(served.closedAt == 0, "the container never saw the close");
        double ms = (served.closedAt - since) / 1e6;
        assertTrue(ms < withinMs, "the container saw the close after " + ms + " ms");
    }
}
