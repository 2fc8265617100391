package io.fngate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/**
 * A purpose-built function container on port 0, on the JDK's own HTTP server (independent of Helidon, which
 * the gateway uses). Behaviour is chosen by the first path segment; parameters come from the query:
 * <ul>
 *     <li>{@code /sink}: reads the whole body, answers its size and SHA-256</li>
 *     <li>{@code /status/{code}}: answers that status with a JSON error body (container error passthrough)</li>
 *     <li>{@code /slow?ms=N}: waits N ms before the response headers</li>
 *     <li>{@code /redirect}: 302 to {@code /elsewhere}</li>
 *     <li>{@code /duplex}: echoes the request body while still reading it (full duplex)</li>
 *     <li>{@code /headers}: answers with custom and hop-by-hop response headers</li>
 *     <li>{@code /empty/{code}}: answers that status with no body (204, 304)</li>
 *     <li>anything else: echo as JSON of method, raw path, raw query, headers, body size and SHA-256</li>
 * </ul>
 */
final class FakeFunction implements AutoCloseable {
    private final HttpServer server;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger duplexEnded = new AtomicInteger();
    final AtomicInteger duplexFailed = new AtomicInteger();
    final ConcurrentLinkedQueue<String> seenRequestIds = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();
    /** Bodies the sink read to their proper end (a truncated chunked body fails instead). */
    final AtomicInteger sinkCompleted = new AtomicInteger();

    private FakeFunction(HttpServer server) {
        this.server = server;
    }

    static FakeFunction start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        FakeFunction f = new FakeFunction(server);
        server.createContext("/", f::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return f;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String reqId = ex.getRequestHeaders().getFirst("NVCF-REQID");
        if (reqId != null) {
            seenRequestIds.add(reqId);
        }
        URI uri = ex.getRequestURI();
        String path = uri.getRawPath();
        paths.add(path);
        String[] parts = path.split("/");
        String first = parts.length > 1 ? parts[1] : "";
        try (ex) {
            switch (first) {
            case "sink" -> {
                Digest d = digest(ex.getRequestBody());
                sinkCompleted.incrementAndGet();
                json(ex, 200, "{\"bytes\":" + d.bytes + ",\"sha256\":\"" + d.hex + "\"}");
            }
            case "status" -> {
                drain(ex.getRequestBody());
                json(ex, Integer.parseInt(parts[2]), "{\"error\":\"container says " + parts[2] + "\",\"detail\":\"x\"}");
            }
            case "empty" -> {
                drain(ex.getRequestBody());
                ex.getResponseHeaders().add("ETag", "\"v1\"");
                ex.sendResponseHeaders(Integer.parseInt(parts[2]), -1);
            }
            case "slow" -> {
                drain(ex.getRequestBody());
                sleep(Long.parseLong(query(uri, "ms", "1000")));
                json(ex, 200, "{\"slow\":true}");
            }
            case "redirect" -> {
                ex.getResponseHeaders().add("Location", "/elsewhere");
                ex.sendResponseHeaders(302, -1);
            }
            case "headers" -> {
                ex.getResponseHeaders().add("X-Custom", "kept");
                ex.getResponseHeaders().add("Set-Cookie", "a=1");
                ex.getResponseHeaders().add("Set-Cookie", "b=2");
                ex.getResponseHeaders().add("X-Hop", "dropped");
                ex.getResponseHeaders().add("Connection", "X-Hop");
                ex.getResponseHeaders().add("Keep-Alive", "timeout=5");
                ex.getResponseHeaders().add("Proxy-Authenticate", "Basic");
                ex.getResponseHeaders().add("nvcf-reqid", "spoofed-by-container");
                json(ex, 200, "{}");
            }
            case "duplex" -> duplex(ex);
            default -> echo(ex);
            }
        }
    }

    private void duplex(HttpExchange ex) throws IOException {
        try {
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, 0);
            InputStream in = ex.getRequestBody();
            OutputStream out = ex.getResponseBody();
            byte[] buf = new byte[32 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            duplexEnded.incrementAndGet();
        } catch (IOException e) {
            duplexFailed.incrementAndGet();
            throw e;
        }
    }

    private void echo(HttpExchange ex) throws IOException {
        Digest d = digest(ex.getRequestBody());
        JsonObjectBuilder headers = Json.createObjectBuilder();
        Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sorted.putAll(ex.getRequestHeaders());
        sorted.forEach((name, values) -> {
            JsonArrayBuilder a = Json.createArrayBuilder();
            values.forEach(a::add);
            headers.add(name.toLowerCase(Locale.ROOT), a);
        });
        URI uri = ex.getRequestURI();
        json(ex, 200, Json.createObjectBuilder()
                .add("method", ex.getRequestMethod())
                .add("path", uri.getRawPath())
                .add("query", uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .add("hasQuery", uri.getRawQuery() != null)
                .add("headers", headers)
                .add("bodyBytes", d.bytes)
                .add("bodySha256", d.hex)
                .build().toString());
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            ex.getResponseBody().write(bytes);
        }
    }

    record Digest(long bytes, String hex) {
    }

    static Digest digest(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
            total += n;
        }
        return new Digest(total, HexFormat.of().formatHex(sha.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String query(URI uri, String name, String fallback) {
        String q = uri.getRawQuery();
        if (q == null) {
            return fallback;
        }
        for (String p : q.split("&")) {
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
