package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests no honest server may act on, sent to the whole gateway: each is answered by the gateway itself with a
 * problem (and its request id), the connection is closed, and the function receives nothing. The edge module's
 * own tests cover every case in detail; this checks they hold with the gateway wired as it ships.
 */
class StrictHttpGatewayTest {
    private static final String HOST = "Host: " + TestGateway.FN + ".invocation.example.com\r\n";
    private static ScriptedFunction counted;
    private static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        counted = new ScriptedFunction((i, head, in, out) -> {
            in.skipNBytes(ScriptedFunction.contentLength(head));
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
            return true;
        });
        gw = TestGateway.start(counted.url(), Map.of("server.edge.max-header-count", "20"));
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
        counted.close();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "bare LF | 400 | GET /x HTTP/1.1{LF}Host: h{LF}{LF}",
            "HTTP/1.2 | 505 | GET /x HTTP/1.2{CRLF}Host: h{CRLF}{CRLF}",
            "HTTP/2.0 as text | 505 | GET /x HTTP/2.0{CRLF}Host: h{CRLF}{CRLF}",
            "missing Host | 400 | GET /x HTTP/1.1{CRLF}{CRLF}",
            "CL with TE | 400 | POST /x HTTP/1.1{CRLF}HOSTLINEContent-Length: 3{CRLF}Transfer-Encoding: chunked{CRLF}{CRLF}3{CRLF}abc{CRLF}0{CRLF}{CRLF}",
            "repeated CL | 400 | POST /x HTTP/1.1{CRLF}HOSTLINEContent-Length: 3{CRLF}Content-Length: 4{CRLF}{CRLF}abcd",
            "bad CL | 400 | POST /x HTTP/1.1{CRLF}HOSTLINEContent-Length: 3x{CRLF}{CRLF}abc",
            "obs-fold | 400 | GET /x HTTP/1.1{CRLF}HOSTLINEX-A: 1{CRLF}  folded{CRLF}{CRLF}",
            "space before colon | 400 | GET /x HTTP/1.1{CRLF}HOSTLINEX-A : 1{CRLF}{CRLF}",
            "control char | 400 | GET /x HTTP/1.1{CRLF}HOSTLINEX-A: a{SOH}b{CRLF}{CRLF}",
            "absolute form, other Host | 400 | GET http://other.example.com/x HTTP/1.1{CRLF}HOSTLINE{CRLF}",
            "too many headers | 431 | GET /x HTTP/1.1{CRLF}HOSTLINEMANYHEADERS{CRLF}",
            "request line too long | 414 | GET /LONGPATH HTTP/1.1{CRLF}HOSTLINE{CRLF}",
            "bad chunk size | 400 | POST /x HTTP/1.1{CRLF}HOSTLINETransfer-Encoding: chunked{CRLF}{CRLF}zz{CRLF}abc{CRLF}0{CRLF}{CRLF}",
    })
    void isAnsweredByTheGatewayAndNeverReachesTheFunction(String name, int status, String raw) throws Exception {
        int before = counted.requests.get();
        String request = raw.replace("{CRLF}", "\r\n").replace("{LF}", "\n").replace("{SOH}", "\u0001")
                .replace("HOSTLINE", HOST).replace("LONGPATH", "a".repeat(10_000))
                .replace("MANYHEADERS", "X-H: v\r\n".repeat(30));
        String answer = exchange(request);
        assertTrue(answer.startsWith("HTTP/1.1 " + status), name + ": " + answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"), answer);
        String id = header(answer, "nvcf-reqid");
        JsonObject problem = Json.createReader(new java.io.StringReader(answer.substring(answer.indexOf("\r\n\r\n") + 4)))
                .readObject();
        assertEquals(status, problem.getInt("status"));
        assertEquals(id, problem.getString("requestId"));
        assertEquals(before, counted.requests.get(), name + " reached the function");
    }

    @Test
    void anAbsoluteFormTargetIsRoutedByItsOwnAuthorityAndSentInOriginForm() throws Exception {
        try (ScriptedFunctionProbe probe = ScriptedFunctionProbe.start();
             TestGateway g = TestGateway.start(probe.url(), Map.of())) {
            String authority = TestGateway.FN + ".invocation.example.com";
            String answer = exchange(g.port(), "GET http://" + authority + "/v1/x?q=1 HTTP/1.1\r\nHost: " + authority
                    + "\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(probe.lastHead().startsWith("GET /v1/x?q=1 HTTP/1.1\r\n"), probe.lastHead());
        }
    }

    @Test
    void http10IsServedAndKeptAliveOnlyWhenAsked() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /a HTTP/1.0\r\n" + HOST + "Connection: keep-alive\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            RawClient.Response first = readOne(s.getInputStream());
            assertEquals(200, first.status());
            s.getOutputStream().write(("GET /b HTTP/1.0\r\n" + HOST + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            RawClient.Response second = readOne(s.getInputStream());
            assertEquals(200, second.status());
            assertEquals(-1, s.getInputStream().read(), "a 1.0 request without keep-alive ends its connection");
        }
    }

    private static RawClient.Response readOne(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                break;
            }
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        assertTrue(!h.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked"), "chunked to a 1.0 client");
        int length = Integer.parseInt(header(h, "content-length"));
        byte[] body = in.readNBytes(length);
        return new RawClient.Response(Integer.parseInt(h.substring(9, 12)), Map.of(), body);
    }

    private static String exchange(String raw) throws IOException {
        return exchange(gw.port(), raw);
    }

    /** Sends the bytes and reads everything until the gateway closes the connection (it must). */
    private static String exchange(int port, String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            try {
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the connection was left open");
            }
        }
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + name + " in " + response);
    }
}
