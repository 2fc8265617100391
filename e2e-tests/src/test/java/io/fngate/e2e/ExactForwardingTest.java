package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the container receives, byte for byte: request target, headers kept, dropped and added; and what the
 * client receives of the container's headers.
 */
class ExactForwardingTest {
    private static final String ANSWER = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Custom: kept\r\n"
            + "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nConnection: X-Hop\r\nX-Hop: dropped\r\nKeep-Alive: timeout=5\r\n"
            + "Proxy-Authenticate: Basic\r\nTrailer: X-T\r\nnvcf-reqid: spoofed\r\nContent-Length: 2\r\n\r\nok";
    private static RawFunction function;
    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        function = RawFunction.answering(ANSWER);
        gw = TestGateway.start(function.url(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        function.close();
    }

    private static String host() {
        return TestGateway.invocationHost(TestGateway.FN);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/",
            "/a%2Fb/c",
            "/with%20space/x",
            "/plus+sign?q=a+b",
            "/p?flag",
            "/p?a=1&b=2&a=3",
            "/matrix;x=1/y;z=2",
            "/caf%C3%A9?name=%E2%9C%93",
            "/p?x=%26&y=%3D&z=%2B",
            "/%7Bbraces%7D?json=%7B%22a%22%3A1%7D",
            "/p?",
            "/trailing/",
            "/p?a=1&&b=&c",
            "/v2/models/m:generate?alt=sse",
            "/~user/%25literal-percent",
    })
    void requestTargetArrivesByteForByte(String target) throws Exception {
        function.heads.clear();
        try (RawClient raw = new RawClient(gw.port())) {
            raw.send("GET " + target + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
            assertEquals(200, raw.read(false).status());
        }
        String head = function.nextHead();
        assertEquals("GET " + target + " HTTP/1.1", head.substring(0, head.indexOf("\r\n")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DELETE", "PATCH", "OPTIONS", "PUT", "POST", "CUSTOMVERB"})
    void methodIsForwarded(String method) throws Exception {
        function.heads.clear();
        try (RawClient raw = new RawClient(gw.port())) {
            raw.send(method + " /m HTTP/1.1\r\nHost: " + host() + "\r\nContent-Length: 0\r\n\r\n");
            assertEquals(200, raw.read(false).status());
        }
        assertTrue(function.nextHead().startsWith(method + " /m HTTP/1.1\r\n"));
    }

    @Test
    void hopByHopAuthorizationAndSpoofedPlatformHeadersAreDropped() throws Exception {
        function.heads.clear();
        try (RawClient raw = new RawClient(gw.port())) {
            raw.send("GET /h HTTP/1.1\r\nHost: " + host() + "\r\n"
                    + "Connection: keep-alive, X-Listed\r\nX-Listed: secret\r\nKeep-Alive: timeout=9\r\n"
                    + "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic eA==\r\nTE: trailers\r\n"
                    + "Trailer: X-T\r\nAuthorization: Bearer nvapi-secret\r\n"
                    + "NVCF-REQID: 11111111-1111-4111-8111-111111111111\r\nnvcf-function-id: spoofed\r\n"
                    + "NVCF-FUNCTION-NAME: spoofed\r\nNVCF-ASSET-DIR: /etc\r\n"
                    + "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"
                    + "Forwarded: for=6.6.6.6\r\n"
                    + "Accept: application/json\r\nX-Custom: one\r\nX-Custom: two\r\nUser-Agent: raw/1\r\n\r\n");
            RawClient.Response res = raw.read(false);
            assertEquals(200, res.status());
        }
        String head = function.nextHead().toLowerCase(Locale.ROOT);
        for (String dropped : List.of("x-listed", "keep-alive", "proxy-connection", "proxy-authorization", "te:",
                "trailer", "authorization", "nvcf-asset-dir", "forwarded:", "spoofed", "6.6.6.6", "evil.example",
                "11111111-1111", "connection:")) {
            assertFalse(head.contains(dropped), dropped + " reached the container:\n" + head);
        }
        for (String kept : List.of("\r\naccept: application/json\r\n", "\r\nx-custom: one\r\n",
                "\r\nx-custom: two\r\n", "\r\nuser-agent: raw/1\r\n", "\r\nx-forwarded-for: 127.0.0.1\r\n",
                "\r\nx-forwarded-proto: http\r\n", "\r\nx-forwarded-host: " + host() + "\r\n",
                "\r\nnvcf-function-id: " + TestGateway.FN + "\r\n", "\r\nnvcf-function-name: echo\r\n",
                "\r\nhost: 127.0.0.1:")) {
            assertTrue(head.contains(kept), kept.trim() + " missing:\n" + head);
        }
        assertEquals(1, head.split("nvcf-reqid: ", -1).length - 1);
    }

    @Test
    void containerHeadersComeBackWithoutHopByHopOnes() throws Exception {
        HttpResponse<String> res = gw.http1.send(HttpRequest.newBuilder(gw.uri("/r")).header("Host", host()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("ok", res.body());
        assertEquals("kept", res.headers().firstValue("x-custom").orElseThrow());
        assertEquals(List.of("a=1", "b=2"), res.headers().allValues("set-cookie"));
        assertEquals("text/plain", res.headers().firstValue("content-type").orElseThrow());
        for (String dropped : List.of("x-hop", "keep-alive", "proxy-authenticate", "trailer")) {
            assertTrue(res.headers().firstValue(dropped).isEmpty(), dropped + " reached the client");
        }
        String reqId = res.headers().firstValue("nvcf-reqid").orElseThrow();
        assertEquals(List.of(reqId), res.headers().allValues("nvcf-reqid"));
        assertFalse(reqId.equals("spoofed"));
    }
}
