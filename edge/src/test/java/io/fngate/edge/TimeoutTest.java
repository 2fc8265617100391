package io.fngate.edge;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static io.fngate.edge.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and silent peers against a head timeout of 1 s and an idle timeout of 2 s (the watchdog ticks every
 * 100 ms, so each deadline is met within about 0.1 s). The tests only wait, so they run concurrently.
 */
class TimeoutTest {
    private static final Duration HEAD = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final String GET = "GET /t HTTP/1.1\r\nHost: example.com\r\n\r\n";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(new EdgeSettings(HEAD, IDLE, 8192, 16384, 100));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void assertAround(Duration expected, long millis, String what) {
        assertTrue(millis >= expected.toMillis() - 50 && millis <= expected.toMillis() + 700,
                what + " after " + millis + " ms, expected about " + expected.toMillis() + " ms");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void partialHeadIsA408AtTheHeadTimeout() {
        try (RawClient c = new RawClient(server.port())) {
            long start = System.nanoTime();
            RawClient.Response r = c.send("GET /t HTTP/1.1\r\nHost: exa").read();
            assertAround(HEAD, millisSince(start), "408");
            assertProblem(r, 408, "request-head-timeout");
            assertEquals("close", r.header("connection").orElse(""));
            assertTrue(c.closedWithin(Duration.ofSeconds(3)));
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void dripFedHeadIsA408AtTheHeadTimeoutFromItsFirstByte() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            Thread.sleep(500); // idle time before the first byte does not count
            long start = System.nanoTime();
            Thread dripper = Thread.ofVirtual().start(() -> {
                try {
                    for (char ch : GET.toCharArray()) {
                        c.send(String.valueOf(ch));
                        Thread.sleep(100);
                    }
                } catch (InterruptedException | RuntimeException e) {
                    // closed by the server, as expected
                }
            });
            RawClient.Response r = c.read();
            assertAround(HEAD, millisSince(start), "408 to a head sent one byte per 100 ms");
            assertProblem(r, 408, "request-head-timeout");
            dripper.join(5000);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void silentConnectionIsClosedAtTheIdleTimeoutNotTheHeadTimeout() {
        try (RawClient c = new RawClient(server.port())) {
            long start = System.nanoTime();
            assertTrue(c.closedWithin(Duration.ofSeconds(4)), "silent connection closed, with no answer");
            assertAround(IDLE, millisSince(start), "silent connection closed");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void keepAliveIdleIsNotHeadTimeAndEndsAtTheIdleTimeout() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(200, c.send(GET).read().status());
            Thread.sleep(1500); // longer than the head timeout, shorter than the idle timeout
            assertEquals(200, c.send(GET).read().status(), "idle between requests is not a slow head");
            long start = System.nanoTime();
            assertTrue(c.closedWithin(Duration.ofSeconds(4)));
            assertAround(IDLE, millisSince(start), "idle keep-alive connection closed");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void secondHeadIsTimedFromItsOwnFirstByte() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(200, c.send(GET).read().status());
            Thread.sleep(800);
            long start = System.nanoTime();
            RawClient.Response r = c.send("GET /t HTTP/1.1\r\n").read();
            assertAround(HEAD, millisSince(start), "408 for the second request");
            assertProblem(r, 408, "request-head-timeout");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void idleHttp2ConnectionIsNotCutByTheHeadTimeout() throws Exception {
        try (H2Client h2 = new H2Client(server.port())) {
            assertEquals("ok GET /a HTTP/2.0 host=example.com body=\n", h2.get("/a", "example.com").body());
            Thread.sleep(1500);
            assertEquals("ok GET /b HTTP/2.0 host=example.com body=\n", h2.get("/b", "example.com").body());
            long start = System.nanoTime();
            assertTrue(h2.closedWithin(Duration.ofSeconds(4)), "idle h2c connection closed");
            assertAround(IDLE, millisSince(start), "idle h2c connection closed");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void slowResponseIsNotIdle() {
        try (RawClient c = new RawClient(server.port())) {
            // the handler takes longer than both timeouts: the edge does not time a request being served
            RawClient.Response r = c.send("GET /s?ms=2500 HTTP/1.1\r\nHost: example.com\r\n\r\n").read();
            assertEquals(200, r.status());
            assertFalse(c.closedWithin(Duration.ofMillis(200)));
        }
    }
}
