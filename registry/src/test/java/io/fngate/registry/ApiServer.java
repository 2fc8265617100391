package io.fngate.registry;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.helidon.webserver.WebServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A registry's management API on a WebServer bound to port 0, and a real HTTP client for it. */
final class ApiServer implements AutoCloseable {
    static final String KEY = "test-admin-key-0123456789";

    final FunctionRegistry registry;
    final WebServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ApiServer(FunctionRegistry registry) {
        this.registry = registry;
        this.server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.register("/v2/nvcf", registry.managementService()))
                .build().start();
    }

    /** A call with the admin key. */
    Reply call(String method, String path, String body) {
        return send(method, path, body, "Bearer " + KEY);
    }

    Reply send(String method, String path, String body, String authorization) {
        return send(method, path, body, authorization, body == null ? null : "application/json");
    }

    /** A call with the given Authorization and Content-Type (null: none). */
    Reply send(String method, String path, String body, String authorization, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("Location").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        client.close();
        registry.close();
    }

    /** A response: status, content type, Location and body. */
    record Reply(int status, String contentType, String location, String body) {
        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }
    }
}
