package io.fngate.e2e.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A function instance on port 0 whose {@code GET /health} answers a status the test sets; every other request
 * is answered 200 with the instance's name and counted.
 */
final class ToggleFunction implements AutoCloseable {
    final String name;
    final AtomicInteger health = new AtomicInteger(200);
    final AtomicInteger served = new AtomicInteger();
    private final HttpServer server;

    private ToggleFunction(String name, HttpServer server) {
        this.name = name;
        this.server = server;
    }

    static ToggleFunction start(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        ToggleFunction f = new ToggleFunction(name, server);
        server.createContext("/", f::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return f;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            if (ex.getRequestURI().getPath().equals("/health")) {
                ex.sendResponseHeaders(health.get(), -1);
                return;
            }
            served.incrementAndGet();
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
