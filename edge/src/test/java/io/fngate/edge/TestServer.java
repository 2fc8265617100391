package io.fngate.edge;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A minimal edge-fronted WebServer on 127.0.0.1, port 0, whose handler records every request that reaches it.
 * Routes: {@code /stream} writes {@code one} (with {@code ?first=N}: N {@code x}) and {@code two}, each flushed
 * (with {@code ?unflushed}: only the second), through {@link Edge#headWithFirstWrite} (with {@code ?plain}:
 * without), {@code /whole} answers {@code whole body} through {@link Edge#sendWhole}, {@code /chunked} answers
 * with a chunked (streamed) body of three parts, {@code /close} answers with {@code Connection: close},
 * {@code /throw} throws, {@code /sink} reads the body in large reads and answers
 * {@code bytes=<n> largest-read=<n> crc=<crc32 hex>}; anything else echoes what it saw:
 * {@code ok <method> <target> <wire version> host=<host> body=<body>}, after sleeping {@code ?ms=N} if asked, and
 * even to HEAD for {@code /entity...} (which Helidon then writes after the head).
 */
final class TestServer implements AutoCloseable {
    /** What reached the handler. */
    record Seen(String method, String target, String wire, String host, String body, String error) {
    }

    final Edge edge;
    final WebServer server;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

    private TestServer(EdgeSettings settings, Consumer<WebServerConfig.Builder> extra, EdgeListener listener) {
        this.edge = Edge.create(settings, listener, java.time.Clock.systemUTC());
        WebServerConfig.Builder builder = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .shutdownGracePeriod(java.time.Duration.ofMillis(100))
                .routing(r -> r.any("/chunked", this::chunked)
                        .any("/close", (req, res) -> {
                            record(req, "", null);
                            res.header(HeaderNames.CONNECTION, "close").send("closing\n");
                        })
                        .any("/sink", this::sink)
                        .any("/stream", (req, res) -> {
                            record(req, "", null);
                            // ?plain: Helidon's stream as it is, else with the head held for the first write
                            java.io.OutputStream out = req.query().contains("plain") ? res.outputStream()
                                    : Edge.headWithFirstWrite(res, res.outputStream());
                            int first = req.query().first("first").map(Integer::parseInt).orElse(0);
                            out.write(first > 0 ? "x".repeat(first).getBytes(StandardCharsets.US_ASCII)
                                    : "one\n".getBytes(StandardCharsets.US_ASCII));
                            if (!req.query().contains("unflushed")) {
                                out.flush();
                            }
                            out.write("two\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            out.close();
                        })
                        .any("/whole", (req, res) -> {
                            record(req, "", null);
                            Edge.sendWhole(res, "whole body\n".getBytes(StandardCharsets.US_ASCII));
                        })
                        .any("/throw", (req, res) -> {
                            record(req, "", null);
                            throw new IllegalStateException("secret internals");
                        })
                        .any(this::echo));
        this.server = builder.update(extra)
                .update(edge::applyTo) // as a server would install it: last
                .build()
                .start();
    }

    static TestServer start() {
        return start(EdgeSettings.create());
    }

    static TestServer start(EdgeSettings settings) {
        return new TestServer(settings, b -> { }, EdgeListener.NONE);
    }

    static TestServer start(EdgeSettings settings, Consumer<WebServerConfig.Builder> extra) {
        return new TestServer(settings, extra, EdgeListener.NONE);
    }

    /** A server whose edge tells {@code listener} of its answers. */
    static TestServer start(EdgeSettings settings, Consumer<WebServerConfig.Builder> extra, EdgeListener listener) {
        return new TestServer(settings, extra, listener);
    }

    static TestServer tls(Tls tls) {
        return new TestServer(EdgeSettings.create(), b -> b.tls(tls), EdgeListener.NONE);
    }

    int port() {
        return server.port();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void echo(ServerRequest req, ServerResponse res) throws Exception {
        String body = "";
        if (req.content().hasEntity()) {
            try (InputStream in = req.content().inputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                record(req, "", Edge.isMalformedBody(e) ? "malformed" : e.getClass().getName());
                throw e; // the edge's direct handlers answer it
            }
        }
        record(req, body, null);
        long sleep = req.query().first("ms").map(Long::parseLong).orElse(0L);
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        if (req.prologue().method() == Method.HEAD && !req.path().rawPath().startsWith("/entity")) {
            res.send(); // Helidon 4.5.0 would write an entity after a HEAD response head (see /entity)
            return;
        }
        res.send("ok " + req.prologue().method().text() + " " + target(req) + " " + Edge.wireVersion(req)
                + " host=" + req.authority() + " body=" + body + "\n");
    }

    private void sink(ServerRequest req, ServerResponse res) throws Exception {
        record(req, "", null);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        long total = 0;
        int largest = 0;
        byte[] buf = new byte[256 * 1024];
        try (InputStream in = req.content().inputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                crc.update(buf, 0, n);
                total += n;
                largest = Math.max(largest, n);
            }
        }
        res.send("bytes=" + total + " largest-read=" + largest + " crc=" + Long.toHexString(crc.getValue()) + "\n");
    }

    private void chunked(ServerRequest req, ServerResponse res) throws Exception {
        record(req, "", null);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain");
        try (OutputStream out = res.outputStream()) {
            for (String part : List.of("one ", "two ", "three\n")) {
                out.write(part.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
    }

    private void record(ServerRequest req, String body, String error) {
        seen.add(new Seen(req.prologue().method().text(), target(req), Edge.wireVersion(req), req.authority(), body,
                error));
    }

    private static String target(ServerRequest req) {
        return req.prologue().uriPath().rawPath() + (req.query().isEmpty() ? "" : "?" + req.query().rawValue());
    }

    @Override
    public void close() {
        server.stop();
        edge.close();
    }
}
