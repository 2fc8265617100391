package io.fngate.edge;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Helidon is given for an accepted head, and the explanations of refused ones. */
class HeadParserTest {
    private static RequestHead parse(String head) {
        return HeadParser.parse(head.getBytes(StandardCharsets.ISO_8859_1), "10.0.0.1:8080");
    }

    private static String given(String head) {
        return new String(parse(head).bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void http11HeadsPassUnchanged() {
        byte[] head = "GET /a%2Fb;m=1?x=1&x=2&flag HTTP/1.1\r\nHost: h\r\nX-A:  v \r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        RequestHead parsed = HeadParser.parse(head, "l:1");
        assertSame(head, parsed.bytes(), "byte for byte, not even copied");
        assertTrue(parsed.keepAlive());
        assertEquals(-1, parsed.contentLength());
    }

    @Test
    void http10IsRewrittenAsHttp11() {
        assertEquals("GET /x HTTP/1.1\r\nAccept: */*\r\nHost: 10.0.0.1:8080\r\nConnection: close\r\n\r\n",
                given("GET /x HTTP/1.0\r\nAccept: */*\r\n\r\n"));
        assertEquals("POST /x HTTP/1.1\r\nContent-Length: 2\r\nHost: h\r\nConnection: x-trace\r\n\r\n",
                given("POST /x HTTP/1.0\r\nHost: h\r\nConnection: Keep-Alive, X-Trace\r\nKeep-Alive: timeout=5\r\n"
                        + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
        RequestHead keepAlive = parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertTrue(keepAlive.http10());
        assertTrue(keepAlive.keepAlive());
        assertFalse(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n").keepAlive(),
                "RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 means the connection closes");
    }

    @Test
    void absoluteFormBecomesOriginForm() {
        assertEquals("GET /p?q HTTP/1.1\r\nX: y\r\nHost: a.example:81\r\n\r\n",
                given("GET http://a.example:81/p?q HTTP/1.1\r\nHost: A.EXAMPLE:81\r\nX: y\r\n\r\n"));
        assertEquals("OPTIONS /?q HTTP/1.1\r\nHost: [::1]\r\n\r\n", given("OPTIONS HTTPS://[::1]?q HTTP/1.1\r\n\r\n"));
    }

    @Test
    void h2cUpgradeOnlyWithExactlyOneSettingsAndNoBody() {
        assertTrue(parse("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n\r\n").upgradeH2c());
        assertFalse(parse("POST / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n"
                + "Content-Length: 1\r\n\r\n").upgradeH2c(), "Helidon does not upgrade a request with a body");
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\n\r\n", given("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\n\r\n"));
    }

    @Test
    void refusalsExplainThemselves() {
        assertDetail("Header line folding (obs-fold) is not allowed.",
                "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n");
        assertDetail("The request has both Content-Length and Transfer-Encoding.",
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n");
        Rejected head = assertThrows(Rejected.class, () -> parse("HEAD / HTTP/1.1\r\n\r\n"));
        assertTrue(head.head(), "an answer to HEAD has no body");
    }

    private static void assertDetail(String detail, String head) {
        assertEquals(detail, assertThrows(Rejected.class, () -> parse(head)).detail());
    }
}
