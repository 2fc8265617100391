package io.fngate.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static io.fngate.edge.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every problem answer given before a handler runs (the edge's own, and Helidon's behind it) is told to the
 * edge's listener once, with the request id the client got and what was known of the request; requests that
 * reach a handler are not.
 */
class EdgeAnswersTest {
    private static final Duration HEAD_TIMEOUT = Duration.ofMillis(600);
    private static final LinkedBlockingQueue<EdgeAnswer> ANSWERS = new LinkedBlockingQueue<>();
    /** Makes the listener throw, to show that its failure does not touch the answer. */
    private static volatile boolean failing;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(new EdgeSettings(HEAD_TIMEOUT, Duration.ofSeconds(30), 8192, 16384, 100),
                b -> b.maxPayloadSize(10), answer -> {
                    ANSWERS.add(answer);
                    if (failing) {
                        throw new IllegalStateException("listener broken");
                    }
                });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        failing = false;
        ANSWERS.clear();
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // request, status, label, method, path
                Arguments.of("G@T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "malformed-request-line", null, null),
                Arguments.of("GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "malformed-request-target", "GET", null),
                Arguments.of("GET /x/y?q=1 HTTP/1.1\r\nHost: h\r\nBad Name: v\r\n\r\n", 400, "malformed-header",
                        "GET", "/x/y"),
                Arguments.of("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400,
                        "invalid-message-framing", "POST", "/up"),
                Arguments.of("GET /v HTTP/2.5\r\nHost: h\r\n\r\n", 505, "http-version-not-supported", null, null),
                Arguments.of("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414,
                        "request-line-too-long", null, null),
                Arguments.of("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
                        "malformed-body", "POST", "/c"));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void edgeAnswerIsToldWithTheRequestIdTheClientGot(String request, int status, String label, String method,
                                                      String path) throws InterruptedException {
        Instant before = Instant.now();
        String id;
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send(request).read();
            assertProblem(r, status, label);
            id = r.header("nvcf-reqid").orElseThrow();
        }
        EdgeAnswer a = next();
        assertEquals(UUID.fromString(id), a.problem().requestId());
        assertEquals(status, a.problem().status());
        assertEquals(label, a.problem().label());
        assertEquals(Optional.ofNullable(method), a.method());
        assertEquals(Optional.ofNullable(path), a.path());
        assertEquals(Optional.of("127.0.0.1"), a.client());
        assertTrue(a.elapsed().isPresent(), "the edge knows when the head began");
        assertFalse(a.start().isBefore(before.minusMillis(5)), a.start() + " before " + before);
        assertNull(ANSWERS.poll(200, TimeUnit.MILLISECONDS), "told once");
    }

    @Test
    void headTimeoutIsToldWithItsDuration() throws InterruptedException {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /slow HTTP/1.1\r\nHost: h\r\n");
            assertProblem(c.read(), 408, "request-head-timeout");
        }
        EdgeAnswer a = next();
        assertEquals("request-head-timeout", a.problem().label());
        assertTrue(a.elapsed().orElseThrow().compareTo(HEAD_TIMEOUT) >= 0, a.elapsed().toString());
        assertEquals(Optional.empty(), a.method(), "the watchdog answers a head it did not parse");
    }

    @Test
    void helidonsOwnAnswerIsToldWithMethodAndPath() throws InterruptedException {
        String id;
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("POST /p?x=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: probe/1\r\n"
                    + "Content-Length: 100\r\n\r\n").read();
            assertProblem(r, 413, "body-too-large");
            id = r.header("nvcf-reqid").orElseThrow();
        }
        EdgeAnswer a = next();
        assertEquals(UUID.fromString(id), a.problem().requestId());
        assertEquals(Optional.of("POST"), a.method());
        assertEquals(Optional.of("/p"), a.path());
        assertEquals(Optional.of("probe/1"), a.userAgent());
        assertEquals(Optional.empty(), a.client(), "Helidon does not tell its direct handlers the peer");
    }

    @Test
    void requestsThatReachAHandlerAreNotTold() throws InterruptedException {
        try (RawClient c = new RawClient(server.port())) {
            for (String target : List.of("/one", "/throw", "/two")) {
                RawClient.Response r = c.send("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n").read();
                assertNotNull(r.statusLine());
                if (target.equals("/throw")) {
                    break; // Helidon closes after an escaped exception; its 500 is its own answer
                }
                assertEquals(200, r.status());
            }
        }
        EdgeAnswer a = next();
        assertEquals("internal-error", a.problem().label(), "only the 500 Helidon made itself");
        assertNull(ANSWERS.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void aFailingListenerDoesNotChangeTheAnswer() throws InterruptedException {
        failing = true;
        try (RawClient c = new RawClient(server.port())) {
            assertProblem(c.send("G@T / HTTP/1.1\r\n\r\n").read(), 400, "malformed-request-line");
            assertTrue(c.closedWithin(Duration.ofSeconds(3)));
        }
        assertNotNull(next());
        try (RawClient c = new RawClient(server.port())) {
            assertProblem(c.send("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n").read(), 413,
                    "body-too-large");
        }
        assertNotNull(next());
    }

    private static EdgeAnswer next() throws InterruptedException {
        EdgeAnswer a = ANSWERS.poll(5, TimeUnit.SECONDS);
        assertNotNull(a, "no answer told");
        return a;
    }
}
