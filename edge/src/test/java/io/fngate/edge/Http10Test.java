package io.fngate.edge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.0 clients through the same routing as HTTP/1.1. */
class Http10Test {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servedAndClosedWithoutKeepAlive() {
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.send("GET /x?y HTTP/1.0\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("close", r.header("connection").orElse(""));
            assertTrue(r.header("transfer-encoding").isEmpty());
            // no Host: the edge gives the local address, the handler sees the wire version
            assertEquals("ok GET /x?y HTTP/1.0 host=127.0.0.1:" + server.port() + " body=\n", r.text());
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void keepAliveOnlyWhenAsked() {
        try (RawClient c = new RawClient(server.port())) {
            String get = "GET /k HTTP/1.0\r\nHost: example.com\r\nConnection: Keep-Alive\r\n\r\n";
            RawClient.Response first = c.send(get).read();
            assertEquals("keep-alive", first.header("connection").orElse(""));
            assertEquals("ok GET /k HTTP/1.0 host=example.com body=\n", first.text());
            RawClient.Response second = c.send("POST /p HTTP/1.0\r\nHost: example.com\r\nConnection: keep-alive\r\n"
                    + "Content-Length: 4\r\n\r\nbody").read();
            assertEquals("ok POST /p HTTP/1.0 host=example.com body=body\n", second.text());
            assertFalse(c.closedWithin(Duration.ofMillis(300)), "kept alive as asked");
            RawClient.Response last = c.send("GET /l HTTP/1.0\r\nHost: example.com\r\n\r\n").read();
            assertEquals("close", last.header("connection").orElse(""));
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void chunkedAnswerIsDechunkedAndDelimitedByClose() {
        for (String connection : List.of("", "Connection: keep-alive\r\n")) {
            try (RawClient c = new RawClient(server.port())) {
                c.send("GET /chunked HTTP/1.0\r\nHost: h\r\n" + connection + "\r\n");
                RawClient.Response r = c.read(); // no length: the body runs to the close
                assertEquals(200, r.status());
                assertTrue(r.header("transfer-encoding").isEmpty(), r.headers().toString());
                assertTrue(r.header("content-length").isEmpty(), r.headers().toString());
                assertEquals("close", r.header("connection").orElse(""));
                assertEquals("one two three\n", r.text());
            }
        }
    }

    @Test
    void headAnswerHasNoBodyAndKeepsTheConnection() {
        try (RawClient c = new RawClient(server.port())) {
            String head = "HEAD /h HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n";
            RawClient.Response r = c.send(head).read(true);
            assertEquals(200, r.status());
            assertEquals("keep-alive", r.header("connection").orElse(""));
            RawClient.Response next = c.send("GET /n HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("ok GET /n HTTP/1.0 host=h body=\n", next.text());
            // a handler that sends an entity to HEAD: Helidon writes it, the edge drops it for the 1.0 client
            RawClient.Response entity = c.send("HEAD /entity HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n")
                    .read(true);
            assertEquals(200, entity.status());
            RawClient.Response last = c.send("GET /m HTTP/1.0\r\nHost: h\r\n\r\n").read();
            assertEquals("ok GET /m HTTP/1.0 host=h body=\n", last.text(), "no stray body between the two");
        }
    }

    @Test
    void expectAndUpgradeAreIgnored() {
        try (RawClient c = new RawClient(server.port())) {
            // RFC 9110 10.1.1: no 100 Continue to HTTP/1.0; 7.8: an HTTP/1.0 Upgrade is ignored
            c.send("POST /e HTTP/1.0\r\nHost: h\r\nExpect: 100-continue\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"
                    + "Content-Length: 2\r\n\r\nhi");
            RawClient.Response r = c.read();
            assertEquals(200, r.status(), r.statusLine());
            assertEquals("ok POST /e HTTP/1.0 host=h body=hi\n", r.text());
        }
    }

    @Test
    void absoluteFormAndChunkedRequestBody() {
        try (RawClient c = new RawClient(server.port())) {
            // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 is faulty framing: processed, then the connection closes
            c.send("POST http://example.com/c HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals("ok POST /c HTTP/1.0 host=example.com body=abc\n", r.text());
            assertEquals("close", r.header("connection").orElse(""));
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void errorsAnswerHttp10ClientsToo() {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /x HTTP/1.0\r\nBad Header: x\r\n\r\n");
            RawClient.Response r = c.read();
            ProblemAssert.assertProblem(r, 400, "malformed-header");
            assertEquals("HTTP/1.1 400 Bad Request", new String(r.statusLine().getBytes(StandardCharsets.US_ASCII),
                    StandardCharsets.US_ASCII), "RFC 9110 6.2: the server's version, a 1.0 client reads it fine");
        }
    }
}
