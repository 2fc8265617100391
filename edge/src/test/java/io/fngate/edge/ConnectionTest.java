package io.fngate.edge;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.fngate.edge.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1 through the edge: keep-alive, pipelining, Connection: close, draining, absolute-form, bodies. */
class ConnectionTest {
    private static final String GET = "GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private List<TestServer.Seen> seenSince(int before) {
        List<TestServer.Seen> all = server.seen();
        return all.subList(before, all.size());
    }

    @Test
    void keepAliveServesSequentialAndPipelinedRequests() {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals("ok GET /a HTTP/1.1 host=example.com body=\n", c.send(GET).read().text());
            assertEquals("ok GET /a HTTP/1.1 host=example.com body=\n", c.send(GET).read().text());
            c.send(GET + "GET /b?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertEquals("ok GET /a HTTP/1.1 host=example.com body=\n", c.read().text());
            assertEquals("ok GET /b?x=1 HTTP/1.1 host=example.com body=\n", c.read().text());
            assertFalse(c.closedWithin(Duration.ofMillis(300)), "keep-alive connection stays open");
        }
    }

    @Test
    void connectionCloseFromTheClientClosesAndServesNothingAfter() {
        int before = server.seen().size();
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /first HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n" + GET);
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("close", r.header("connection").orElse(""));
            assertTrue(c.closedWithin(Duration.ofSeconds(2)), "the connection must close after the response");
        }
        assertEquals(List.of("/first"), seenSince(before).stream().map(TestServer.Seen::target).toList(),
                "RFC 9112 9.6: the pipelined request after close is not served");
    }

    @Test
    void connectionCloseFromTheHandlerCloses() {
        int before = server.seen().size();
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /close HTTP/1.1\r\nHost: example.com\r\n\r\n" + GET);
            RawClient.Response r = c.read();
            assertEquals("closing\n", r.text());
            assertEquals("close", r.header("connection").orElse(""));
            assertTrue(c.closedWithin(Duration.ofSeconds(2)), "the connection must close after the response");
        }
        assertEquals(1, seenSince(before).size());
    }

    @Test
    void drainingClosesEveryConnectionAfterItsResponse() throws Exception {
        try (TestServer drained = TestServer.start(); RawClient idle = new RawClient(drained.port());
             RawClient busy = new RawClient(drained.port())) {
            assertEquals(200, idle.send(GET).read().status());
            drained.edge.draining(true);
            assertTrue(drained.edge.draining());
            // a connection idle between requests is closed by the watchdog, without an answer
            assertTrue(idle.closedWithin(Duration.ofSeconds(2)), "idle keep-alive connection closed while draining");
            // a new connection is still served, once, with Connection: close
            RawClient.Response r = busy.send(GET).read();
            assertEquals(200, r.status());
            assertEquals("close", r.header("connection").orElse(""));
            assertTrue(busy.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void absoluteFormBecomesOriginFormWithItsAuthorityAsHost() {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET http://Example.com:8080/x/y?q=1&q=2 HTTP/1.1\r\nHost: example.COM:8080\r\n\r\n");
            assertEquals("ok GET /x/y?q=1&q=2 HTTP/1.1 host=Example.com:8080 body=\n", c.read().text());
            c.send("GET http://example.com?q HTTP/1.1\r\n\r\n"); // no Host: the target's authority
            assertEquals("ok GET /?q HTTP/1.1 host=example.com body=\n", c.read().text());
            c.send("GET https://example.com/ HTTP/1.1\r\nHost: example.com:443\r\n\r\n"); // the default port
            assertEquals("ok GET / HTTP/1.1 host=example.com body=\n", c.read().text());
        }
    }

    @Test
    void bodiesPassIntactByLengthAndChunked() {
        try (RawClient c = new RawClient(server.port())) {
            c.send("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
            assertEquals("ok POST /a HTTP/1.1 host=h body=hello\n", c.read().text());
            // extensions and trailers are checked and dropped; the data arrives whole
            c.send("POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=\"va;l\"\r\nhello\r\n0006\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
            assertEquals("ok POST /b HTTP/1.1 host=h body=hello world\n", c.read().text());
            c.send(GET); // framing intact: the next request is read correctly
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void aLargeBodyOfKnownLengthArrivesIntactInReadsLargerThanHelidonsOwn() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(body);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body);
        try (RawClient c = new RawClient(server.port())) {
            // the next request is pipelined right behind the body: reads must stop where the body ends
            byte[] head = ("POST /sink HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.write(head);
            all.write(body);
            all.write(GET.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            c.send(all.toByteArray());
            String answer = c.read().text();
            assertTrue(answer.startsWith("bytes=" + body.length + " "), answer);
            assertTrue(answer.endsWith(" crc=" + Long.toHexString(crc.getValue()) + "\n"), answer);
            int largest = Integer.parseInt(answer.replaceAll(".*largest-read=(\\d+).*\\n", "$1"));
            assertTrue(largest > 8192, "the body came in reads of at most " + largest + " bytes");
            assertEquals("ok GET /a HTTP/1.1 host=example.com body=\n", c.read().text());
        }
    }

    @Test
    void aChunkedBodyWhoseChunksSpanManySocketReadsArrivesIntact() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024];
        new java.util.Random(11).nextBytes(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.write("POST /sink HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int[] sizes = {1, 1024 * 1024, 5, 1024 * 1024 + 3};
        int off = 0;
        for (int i = 0; off < data.length; i++) {
            int n = Math.min(data.length - off, sizes[i % sizes.length]);
            all.write((Integer.toHexString(n) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            all.write(data, off, n);
            all.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            off += n;
        }
        all.write(("0\r\n\r\n" + GET).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (RawClient c = new RawClient(server.port())) {
            c.send(all.toByteArray());
            String answer = c.read().text();
            assertTrue(answer.startsWith("bytes=" + data.length + " "), answer);
            assertTrue(answer.endsWith(" crc=" + Long.toHexString(crc.getValue()) + "\n"), answer);
            assertEquals("ok GET /a HTTP/1.1 host=example.com body=\n", c.read().text());
        }
    }

    @Test
    void aBodyCutShortByTheClientFailsItsReadAndClosesTheConnection() {
        int before = server.seen().size();
        try (RawClient c = new RawClient(server.port())) {
            c.send("POST /sink HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(100_000));
            c.shutdownOutput();
            // the handler's read fails (it never sees a short body as whole): its exception becomes a 500
            assertProblem(c.read(), 500, "internal-error");
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "the connection stayed open");
        }
        assertEquals(List.of("/sink"), seenSince(before).stream().map(TestServer.Seen::target).toList());
    }

    @Test
    void malformedChunkedBodyIsA400AndClosesTheConnection() {
        // a broken first size line that comes with the head is refused before the handler; a later break fails
        // the body in the handler, which Edge.isMalformedBody recognises
        for (String body : List.of("zz\r\nhello\r\n0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "ffffffffff\r\n",
                "5 x\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXY0\r\n\r\n", "0\r\nBad Trailer\r\n\r\n")) {
            boolean firstLine = !body.startsWith("5\r\n") && !body.startsWith("0\r\n");
            int before = server.seen().size();
            try (RawClient c = new RawClient(server.port())) {
                c.send("POST /m HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + body + GET);
                RawClient.Response r = c.read();
                assertProblem(r, 400, "malformed-body");
                assertEquals("close", r.header("connection").orElse(""), body);
                assertTrue(c.closedWithin(Duration.ofSeconds(2)), body);
            }
            List<TestServer.Seen> seen = seenSince(before);
            if (firstLine) {
                assertEquals(0, seen.size(), "refused before the handler: " + body);
            } else {
                assertEquals(1, seen.size(), body);
                assertEquals("malformed", seen.getFirst().error(), "Edge.isMalformedBody must recognise it: " + body);
            }
        }
    }

    @Test
    void h2cUpgradeWithoutSettingsIsServedAsHttp11() {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /a HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status(), "RFC 9113 3.2: no upgrade without HTTP2-Settings (Helidon would 500)");
            assertEquals("ok GET /a HTTP/1.1 host=h body=\n", r.text());
        }
    }

    @Test
    void leadingEmptyLineIsIgnored() {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(200, c.send("\r\n" + GET).read().status());
        }
    }
}
