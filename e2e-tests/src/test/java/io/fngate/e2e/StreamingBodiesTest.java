package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bodies far larger than socket buffers: full duplex, clients that leave, and a 1 GiB upload through a
 * gateway whose heap is far smaller than the body.
 */
class StreamingBodiesTest {
    private static final long FIFTY_MB = 50L * 1024 * 1024;
    private static FakeFunction function;
    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        function = FakeFunction.start();
        gw = TestGateway.start(function.url(), Map.of());
    }

    @AfterAll
    static void stop() {
        gw.close();
        function.close();
    }

    /** Deterministic bytes, generated on the fly so no test holds a large body in memory. */
    static final class Generated extends InputStream {
        private long left;
        private long x = 0x9E3779B97F4A7C15L;
        final MessageDigest sha = FakeFunction.sha256();

        Generated(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                b[off + i] = (byte) x;
            }
            sha.update(b, off, n);
            left -= n;
            return n;
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    @Test
    @Timeout(120)
    void fullDuplexEchoOf50MbWithContentLengthComesBackIntact() throws Exception {
        duplexOverRawSocket(false);
    }

    @Test
    @Timeout(120)
    void fullDuplexEchoOf50MbChunkedComesBackIntact() throws Exception {
        duplexOverRawSocket(true);
    }

    private void duplexOverRawSocket(boolean chunked) throws Exception {
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            Generated body = new Generated(FIFTY_MB);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /duplex HTTP/1.1\r\nHost: " + TestGateway.invocationHost(TestGateway.FN) + "\r\n"
                            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + FIFTY_MB + "\r\n")
                            + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = body.read(buf, 0, buf.length)) > 0) {
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(buf, 0, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            s.setSoTimeout(60_000);
            RawClient.Response res = readWithDigest(s);
            writer.get(60, TimeUnit.SECONDS);
            assertEquals(200, res.status());
            assertEquals(body.hex(), res.header("x-digest"));
            assertEquals(String.valueOf(FIFTY_MB), res.header("x-bytes"));
        }
    }

    /** Reads a chunked response, hashing the body instead of keeping it; the digest goes in a pseudo header. */
    private static RawClient.Response readWithDigest(Socket s) throws IOException {
        InputStream in = new java.io.BufferedInputStream(s.getInputStream());
        String status = StreamReader.line(in);
        Map<String, String> headers = new java.util.HashMap<>();
        String l;
        while (!(l = StreamReader.line(in)).isEmpty()) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).toLowerCase(java.util.Locale.ROOT), l.substring(c + 1).trim());
        }
        assertEquals("chunked", headers.get("transfer-encoding"));
        MessageDigest sha = FakeFunction.sha256();
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        while (true) {
            long size = Long.parseLong(StreamReader.line(in).trim(), 16);
            if (size == 0) {
                StreamReader.line(in);
                break;
            }
            while (size > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size));
                if (n < 0) {
                    throw new IOException("truncated");
                }
                sha.update(buf, 0, n);
                size -= n;
                total += n;
            }
            StreamReader.line(in);
        }
        headers.put("x-digest", HexFormat.of().formatHex(sha.digest()));
        headers.put("x-bytes", String.valueOf(total));
        return new RawClient.Response(Integer.parseInt(status.substring(9, 12)), headers, new byte[0]);
    }


    @Test
    @Timeout(120)
    void fullDuplexEchoOf50MbOverHttp2ComesBackIntact() throws Exception {
        // curl as an independent HTTP/2 client (prior knowledge), streaming stdin up while stdout comes down.
        // (java.net.http stalls here on its own side: its h2 stream stops granting response window while its
        // request body is still flowing, and Helidon resets the stream after its 15 s flow-control timeout.)
        Process curl = new ProcessBuilder("curl", "-sS", "--http2-prior-knowledge", "-X", "POST", "-T", "-",
                "-H", "function-id: " + TestGateway.FN, "-o", "-", "-w", "",
                "http://127.0.0.1:" + gw.port() + "/duplex").start();
        Generated body = new Generated(FIFTY_MB);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = curl.getOutputStream()) {
                body.transferTo(out);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        FakeFunction.Digest echoed;
        try (InputStream in = curl.getInputStream()) {
            echoed = FakeFunction.digest(in);
        }
        writer.get(60, TimeUnit.SECONDS);
        assertEquals(0, curl.waitFor(), new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(FIFTY_MB, echoed.bytes());
        assertEquals(body.hex(), echoed.hex());
    }

    @Test
    @Timeout(60)
    void clientLeavingMidExchangeFreesTheUpstreamConnectionWithinSeconds() throws Exception {
        int failedBefore = function.duplexFailed.get();
        Socket s = new Socket("127.0.0.1", gw.port());
        s.setSoTimeout(10_000); // a platform-thread socket read ignores @Timeout's interrupt
        OutputStream out = s.getOutputStream();
        out.write(("POST /duplex HTTP/1.1\r\nHost: " + TestGateway.invocationHost(TestGateway.FN) + "\r\n"
                + "Content-Length: " + FIFTY_MB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[1024 * 1024];
        for (int i = 0; i < 5; i++) {
            out.write(chunk);
        }
        out.flush();
        byte[] head = s.getInputStream().readNBytes(12);
        assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
        s.getInputStream().readNBytes(1024 * 1024); // the echo is flowing
        s.setSoLinger(true, 0);
        s.close(); // abrupt: RST, like a killed client
        long left = System.nanoTime();
        while (function.duplexFailed.get() == failedBefore || gw.gateway.openUpstreamConnections() > 0) {
            assertTrue(System.nanoTime() - left < TimeUnit.SECONDS.toNanos(5),
                    "upstream still busy 5 s after the client left: open=" + gw.gateway.openUpstreamConnections());
            Thread.sleep(20);
        }
    }

    @Test
    @Timeout(300)
    void oneGibUploadThroughA128MbHeapGatewayArrivesIntact() throws Exception {
        long size = 1024L * 1024 * 1024;
        try (GatewayProcess p = GatewayProcess.start(GatewayProcess.functionYaml(function.url(), ""),
                List.of("-Xmx128m"))) {
            Generated body = new Generated(size);
            HttpResponse<String> res = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.publicPort() + "/sink"))
                            .header("Host", TestGateway.invocationHost(TestGateway.FN))
                            .timeout(Duration.ofMinutes(4))
                            .POST(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> body), size))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), res.body() + "\n" + p.output);
            assertEquals("{\"bytes\":" + size + ",\"sha256\":\"" + body.hex() + "\"}", res.body());
            assertTrue(p.alive());
        }
    }
}
