package io.fngate.edge;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.fngate.edge.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers Helidon gives by itself behind the edge (its direct handlers: limits of the listener, what it still
 * finds invalid, exceptions that escape a handler) have the same problem form as the edge's own.
 */
class HelidonAnswersTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        // include-entity: Helidon then hands the exception message to the direct handler, which must not show it
        server = TestServer.start(EdgeSettings.create(), b -> b.maxPayloadSize(10).maxConcurrentRequests(1)
                .errorHandling(e -> e.includeEntity(true)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void payloadOverTheListenerLimitIs413() {
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n").read();
            assertProblem(r, 413, "body-too-large");
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void invalidPercentEncodingIs400() {
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("GET /a?b=%zz HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertProblem(r, 400, "bad-request");
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void escapedExceptionIs500WithoutInternals() {
        int before = server.seen().size();
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertProblem(r, 500, "internal-error");
            assertFalse(r.text().contains("secret"), r.text());
        }
        assertEquals(before + 1, server.seen().size());
    }

    @Test
    void escapedExceptionOverHttp2IsAProblemToo() throws Exception {
        try (H2Client h2 = new H2Client(server.port())) {
            H2Client.Reply reply = h2.get("/throw", "h");
            assertEquals(0x8e, reply.status(), ":status 500 (static table entry 14)");
            ProblemAssert.parse(reply.body()); // a JSON body, and no Connection header broke the HTTP/2 framing
            assertEquals("urn:fngate:problem-details:internal-error",
                    ProblemAssert.parse(reply.body()).getString("type"));
        }
    }

    @Test
    void tooManyConcurrentRequestsIs503() throws Exception {
        try (RawClient slow = new RawClient(server.port()); RawClient other = new RawClient(server.port())) {
            slow.send("GET /slow?ms=1000 HTTP/1.1\r\nHost: h\r\n\r\n");
            Thread.sleep(300);
            RawClient.Response r = other.send("GET /now HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertProblem(r, 503, "server-busy");
            assertEquals(200, slow.read().status());
        }
    }
}
