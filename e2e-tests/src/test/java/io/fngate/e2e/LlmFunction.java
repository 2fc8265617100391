package io.fngate.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenAI-style chat completion container on port 0 (JDK HTTP server): {@code /json} answers one JSON body
 * whose {@code usage} says {@link #JSON_PROMPT} and {@link #JSON_COMPLETION} tokens; {@code /stream} answers an
 * event stream of {@link #STREAM_TOKENS} token events {@link #GAP_MS} ms apart, each with {@code "usage":null},
 * then a final event with the usage ({@link #STREAM_PROMPT}, {@link #STREAM_TOKENS}) and {@code data: [DONE]}.
 */
final class LlmFunction implements AutoCloseable {
    static final int JSON_PROMPT = 7;
    static final int JSON_COMPLETION = 3;
    static final int STREAM_PROMPT = 11;
    static final int STREAM_TOKENS = 4;
    static final int GAP_MS = 40;
    /** Events of the stream: the token events, the usage event, [DONE]. */
    static final int STREAM_EVENTS = STREAM_TOKENS + 2;

    private final HttpServer server;
    final ConcurrentLinkedQueue<String> traceparents = new ConcurrentLinkedQueue<>();

    private LlmFunction(HttpServer server) {
        this.server = server;
    }

    static LlmFunction start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        LlmFunction f = new LlmFunction(server);
        server.createContext("/", f::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return f;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        traceparents.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
        ex.getRequestBody().readAllBytes();
        if (ex.getRequestURI().getPath().startsWith("/stream")) {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < STREAM_TOKENS; i++) {
                    event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                            + "\"delta\":{\"content\":\"t" + i + "\"}}],\"usage\":null}");
                    pause();
                }
                event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
                        + "{\"prompt_tokens\":" + STREAM_PROMPT + ",\"completion_tokens\":" + STREAM_TOKENS
                        + ",\"total_tokens\":" + (STREAM_PROMPT + STREAM_TOKENS)
                        + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}}");
                event(out, "[DONE]");
            }
            return;
        }
        byte[] body = ("{\"id\":\"c2\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"usage is \\\"usage\\\"\"}}],\"usage\": {\"prompt_tokens\": "
                + JSON_PROMPT + ", \"completion_tokens\": " + JSON_COMPLETION + ", \"total_tokens\": "
                + (JSON_PROMPT + JSON_COMPLETION) + "}}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause() {
        try {
            Thread.sleep(GAP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
