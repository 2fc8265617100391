package io.fngate.e2e.registry;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A client of the management API on a gateway's admin socket, with the admin key. */
public final class Admin {
    public static final String KEY = "e2e-admin-key-0123456789";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Admin(int adminPort) {
        this.base = "http://127.0.0.1:" + adminPort + "/v2/nvcf";
    }

    /** A response status and its JSON body (empty object when there is none). */
    public record Reply(int status, JsonObject json) {
    }

    public Reply call(String method, String path, String body) {
        try {
            return send(method, path, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link #call} but lets a failed connection through as the IOException it is. */
    Reply send(String method, String path, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonObject json = r.body().isEmpty() ? JsonObject.EMPTY_JSON_OBJECT
                    : Json.createReader(new StringReader(r.body())).readObject();
            return new Reply(r.statusCode(), json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
