package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Regression tests for containers that break HTTP framing, found by fault injection. */
@Timeout(60)
class FramingDefectsTest {

    @Test
    void aBodyAfterA204DoesNotPoisonTheNextRequest() throws Exception {
        try (ScriptedFunction f = new ScriptedFunction((i, head, in, out) -> {
            in.skipNBytes(ScriptedFunction.contentLength(head));
            if (head.startsWith("GET /no-content")) {
                out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                sleep(100); // the stray body arrives after the response looked complete
                out.write("{\"oops\":\"a body after 204\"}".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
            }
            return true;
        }); TestGateway gw = TestGateway.start(f.url(), Map.of())) {
            for (int round = 0; round < 5; round++) {
                HttpResponse<String> empty = gw.http1.send(gw.request("/no-content").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(204, empty.statusCode());
                HttpResponse<String> next = gw.http1.send(gw.request("/next").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, next.statusCode(), "round " + round + ": " + next.body());
                assertEquals("ok", next.body());
            }
        }
    }

    @Test
    void anEventStreamAnsweredBeforeALargeBodyStillGetsTheWholeBodyUpstream() throws Exception {
        int size = 8 * 1024 * 1024; // far more than socket buffers hold
        try (ScriptedFunction f = new ScriptedFunction((i, head, in, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            chunk(out, "data: started\n\n");
            out.flush();
            MessageDigest sha = FakeFunction.sha256();
            long remaining = ScriptedFunction.contentLength(head);
            long got = 0;
            byte[] buf = new byte[64 * 1024];
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                sha.update(buf, 0, n);
                got += n;
                remaining -= n;
            }
            chunk(out, "data: " + got + " " + HexFormat.of().formatHex(sha.digest()) + "\n\n");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return false;
        }); TestGateway gw = TestGateway.start(f.url(), Map.of())) {
            byte[] body = new byte[size];
            new Random(7).nextBytes(body);
            String expected = size + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            HttpResponse<String> r = gw.http1.send(gw.request("/upload").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("data: " + expected), "the container saw: " + r.body());
        }
    }

    private static void chunk(java.io.OutputStream out, String data) throws java.io.IOException {
        byte[] b = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
