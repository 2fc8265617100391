package io.fngate.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * The function {@code ./fngate demo} serves: an ordinary HTTP server, as a function container would be.
 * {@code GET /stream} answers Server-Sent Events (five "tokens", 300 ms apart); any other request is echoed as
 * JSON (method, path, query, headers, body size and SHA-256).
 * <p>
 * Not a test fixture and not part of the proxy: it only gives a new user something to curl.
 */
final class DemoFunction {
    private DemoFunction() {
    }

    static WebServer start(String host, int port) {
        return WebServer.builder()
                .host(host)
                .port(port)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r
                        .get("/stream", DemoFunction::stream)
                        .any(DemoFunction::echo))
                .build()
                .start();
    }

    private static void stream(ServerRequest req, ServerResponse res) throws Exception {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        try (var out = res.outputStream()) {
            String[] tokens = {"Hello", " from", " an", " fngate", " function"};
            for (int i = 0; i < tokens.length; i++) {
                String event = "id: " + i + "\ndata: {\"token\":\"" + tokens[i] + "\"}\n\n";
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(300);
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void echo(ServerRequest req, ServerResponse res) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long size = 0;
        if (req.content().hasEntity()) {
            try (InputStream in = req.content().inputStream()) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    size += n;
                }
            }
        }
        JsonObjectBuilder headers = Json.createObjectBuilder();
        for (Header h : req.headers()) {
            headers.add(h.name().toLowerCase(java.util.Locale.ROOT), String.join(", ", h.allValues()));
        }
        String body = Json.createObjectBuilder(Map.of())
                .add("method", req.prologue().method().text())
                .add("path", req.prologue().uriPath().rawPath())
                .add("query", req.prologue().query().rawValue())
                .add("headers", headers)
                .add("bodyBytes", size)
                .add("bodySha256", HexFormat.of().formatHex(sha.digest()))
                .build().toString();
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.getBytes(StandardCharsets.UTF_8));
    }
}
