package io.fngate.edge;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.fngate.edge.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every request the edge must refuse, sent over a raw socket to a server of its own: the answer is a problem
 * with the right status and label, the connection is closed after it, and the handler saw nothing.
 * Cases run concurrently: each waits up to the edge's one-second linger for the close.
 */
class StrictHttpTest {
    private static final String H = "Host: example.com\r\n";

    static Stream<Arguments> cases() {
        return Stream.of(
                // line endings and the request line
                arguments("bare LF in the request line", "GET / HTTP/1.1\n" + H + "\r\n", 400, "malformed-line-ending"),
                arguments("bare LF in a header line", "GET / HTTP/1.1\r\nHost: example.com\nX: y\r\n\r\n", 400,
                        "malformed-line-ending"),
                arguments("bare CR in a header line", "GET / HTTP/1.1\r\nHost: example.com\rX: y\r\n\r\n", 400,
                        "malformed-line-ending"),
                arguments("absent request line", "\r\n\r\n", 400, "malformed-request-line"),
                arguments("garbled request line", "HELLO\r\n\r\n", 400, "malformed-request-line"),
                arguments("header line instead of request line", "Host: example.com\r\n\r\n", 400,
                        "malformed-request-line"),
                arguments("two spaces", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400, "malformed-request-line"),
                arguments("method not a token", "GE(T / HTTP/1.1\r\n" + H + "\r\n", 400, "malformed-request-line"),
                arguments("TLS ClientHello on the cleartext port", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000", 400,
                        "malformed-request-line"),
                arguments("non-ASCII byte in the target", "GET /\u00e9 HTTP/1.1\r\n" + H + "\r\n", 400,
                        "malformed-request-line"),
                arguments("request line over 8 KiB", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + H + "\r\n", 414,
                        "request-line-too-long"),
                arguments("method of 10 KiB", "A".repeat(10 * 1024), 414, "request-line-too-long"),
                // versions
                arguments("HTTP/1.2", "GET / HTTP/1.2\r\n" + H + "\r\n", 505, "http-version-not-supported"),
                arguments("HTTP/2.0 as text", "GET / HTTP/2.0\r\n" + H + "\r\n", 505, "http-version-not-supported"),
                arguments("HTTP/0.9 as text", "GET / HTTP/0.9\r\n\r\n", 505, "http-version-not-supported"),
                arguments("HTTP/0.9 request (no version)", "GET /\r\n\r\n", 400, "malformed-request-line"),
                arguments("lower-case version", "GET / http/1.1\r\n" + H + "\r\n", 400, "malformed-request-line"),
                arguments("two-digit minor version", "GET / HTTP/1.10\r\n" + H + "\r\n", 400, "malformed-request-line"),
                // targets
                arguments("fragment in the target", "GET /a#b HTTP/1.1\r\n" + H + "\r\n", 400,
                        "malformed-request-target"),
                arguments("relative target", "GET a/b HTTP/1.1\r\n" + H + "\r\n", 400, "malformed-request-target"),
                arguments("asterisk for GET", "GET * HTTP/1.1\r\n" + H + "\r\n", 400, "malformed-request-target"),
                arguments("CONNECT authority-form", "CONNECT example.com:443 HTTP/1.1\r\n" + H + "\r\n", 400,
                        "malformed-request-target"),
                arguments("absolute-form without host", "GET http:///x HTTP/1.1\r\n" + H + "\r\n", 400,
                        "malformed-request-target"),
                arguments("absolute-form with user info", "GET http://u@example.com/ HTTP/1.1\r\n\r\n", 400,
                        "malformed-request-target"),
                arguments("absolute-form, other Host", "GET http://a.example.com/x HTTP/1.1\r\nHost: b.example.com\r\n"
                        + "\r\n", 400, "host-mismatch"),
                arguments("absolute-form, other port", "GET http://example.com:81/x HTTP/1.1\r\n" + H + "\r\n", 400,
                        "host-mismatch"),
                // header fields
                arguments("header section over 16 KiB", "GET / HTTP/1.1\r\n" + H + headers(40, 500) + "\r\n", 431,
                        "header-fields-too-large"),
                arguments("101 header fields", "GET / HTTP/1.1\r\n" + H + headers(100, 5) + "\r\n", 431,
                        "header-fields-too-large"),
                arguments("obs-fold", "GET / HTTP/1.1\r\n" + H + "X-A: a\r\n b\r\n\r\n", 400, "malformed-header"),
                arguments("whitespace before the colon", "GET / HTTP/1.1\r\nHost : example.com\r\n\r\n", 400,
                        "malformed-header"),
                arguments("control character in a value", "GET / HTTP/1.1\r\n" + H + "X-A: a\u0001b\r\n\r\n", 400,
                        "malformed-header"),
                arguments("NUL in a value", "GET / HTTP/1.1\r\n" + H + "X-A: a\u0000b\r\n\r\n", 400,
                        "malformed-header"),
                arguments("DEL in a value", "GET / HTTP/1.1\r\n" + H + "X-A: a\u007fb\r\n\r\n", 400,
                        "malformed-header"),
                arguments("control character in a name", "GET / HTTP/1.1\r\n" + H + "X\u0001A: a\r\n\r\n", 400,
                        "malformed-header"),
                arguments("line without colon", "GET / HTTP/1.1\r\n" + H + "X-A\r\n\r\n", 400, "malformed-header"),
                arguments("empty field name", "GET / HTTP/1.1\r\n" + H + ": a\r\n\r\n", 400, "malformed-header"),
                // framing
                arguments("Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400, "invalid-message-framing"),
                arguments("Content-Length not a number", "POST / HTTP/1.1\r\n" + H + "Content-Length: abc\r\n\r\n", 400,
                        "invalid-message-framing"),
                arguments("negative Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400,
                        "invalid-message-framing"),
                arguments("Content-Length with a sign", "POST / HTTP/1.1\r\n" + H + "Content-Length: +3\r\n\r\nabc",
                        400, "invalid-message-framing"),
                arguments("Content-Length of 19 digits", "POST / HTTP/1.1\r\n" + H + "Content-Length: "
                        + "1".repeat(19) + "\r\n\r\n", 400, "invalid-message-framing"),
                arguments("repeated Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\n"
                        + "Content-Length: 3\r\n\r\nabc", 400, "invalid-message-framing"),
                arguments("conflicting Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\n"
                        + "Content-Length: 4\r\n\r\nabcd", 400, "invalid-message-framing"),
                arguments("Content-Length list", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3, 3\r\n\r\nabc", 400,
                        "invalid-message-framing"),
                arguments("final coding not chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n",
                        400, "invalid-message-framing"),
                arguments("chunked twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n",
                        400, "invalid-message-framing"),
                arguments("a coding before chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n"
                        + "\r\n", 501, "unsupported-transfer-coding"),
                // Host
                arguments("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400, "missing-host"),
                arguments("two Hosts", "GET / HTTP/1.1\r\n" + H + H + "\r\n", 400, "invalid-host"),
                arguments("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400, "invalid-host"),
                arguments("Host with a path", "GET / HTTP/1.1\r\nHost: example.com/x\r\n\r\n", 400, "invalid-host"),
                arguments("Host with a bad port", "GET / HTTP/1.1\r\nHost: example.com:8o\r\n\r\n", 400,
                        "invalid-host"));
    }

    /** {@code count} header fields {@code X-Hn} with values of {@code size} bytes. */
    private static String headers(int count, int size) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append("X-H").append(i).append(": ").append("v".repeat(size)).append("\r\n");
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @Execution(ExecutionMode.CONCURRENT)
    @MethodSource("cases")
    void refusedByTheEdge(String name, String request, int status, String label) {
        try (TestServer server = TestServer.start(); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send(request).read();
            assertProblem(r, status, label);
            assertEquals("close", r.header("connection").orElse(""), name);
            assertTrue(client.closedWithin(Duration.ofSeconds(3)), "connection must be closed: " + name);
            assertEquals(0, server.seen().size(), "nothing may reach the handler: " + server.seen());
        }
    }

    @ParameterizedTest(name = "{0}")
    @Execution(ExecutionMode.CONCURRENT)
    @MethodSource("headCases")
    void headRequestsGetNoBody(String name, String request, int status, String label) {
        try (TestServer server = TestServer.start(); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send(request).read(true);
            assertProblem(r, status, label, true);
            assertTrue(client.closedWithin(Duration.ofSeconds(3)), "connection must be closed: " + name);
            assertEquals(0, server.seen().size(), "nothing may reach the handler: " + server.seen());
        }
    }

    static Stream<Arguments> headCases() {
        return Stream.of(
                arguments("HEAD without Host", "HEAD / HTTP/1.1\r\n\r\n", 400, "missing-host"),
                arguments("HEAD with obs-fold", "HEAD / HTTP/1.1\r\n" + H + "X: a\r\n b\r\n\r\n", 400,
                        "malformed-header"));
    }
}
