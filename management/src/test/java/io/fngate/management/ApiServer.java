package io.fngate.management;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.KeyStore;
import io.fngate.registry.FunctionRegistry;
import io.helidon.webserver.WebServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A registry's management API on a WebServer bound to port 0, and a real HTTP client for it. */
final class ApiServer implements AutoCloseable {
    /** A key with every scope. */
    static final String KEY = "test-admin-key-0123456789";

    final FunctionRegistry registry;
    final ApiKeys keys;
    final ManagementApi api;
    final WebServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The API with one key, {@link #KEY}, that may do everything. */
    ApiServer(FunctionRegistry registry) {
        this(registry, ApiKeys.of(List.of(KEY), KeyStore.memory(), Clock.systemUTC()));
    }

    ApiServer(FunctionRegistry registry, ApiKeys keys) {
        this.registry = registry;
        this.keys = keys;
        this.api = ManagementApi.create(registry, keys);
        this.server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(api::register)
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
            return new Reply(r.statusCode(), r.headers(), r.body());
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

    /** A response: status, headers and body. */
    record Reply(int status, HttpHeaders headers, String body) {
        String contentType() {
            return header("Content-Type");
        }

        String location() {
            return header("Location");
        }

        String header(String name) {
            return headers.firstValue(name).orElse("");
        }

        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }
    }
}
