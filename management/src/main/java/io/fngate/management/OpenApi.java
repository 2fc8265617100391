package io.fngate.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The OpenAPI document of the management and invocation API ({@code openapi.yaml}, kept beside the code and
 * checked against the running gateway by the contract test), served as it is.
 */
final class OpenApi {
    static final String PATH = "/openapi.yaml";
    private static final byte[] DOCUMENT = load();

    private OpenApi() {
    }

    static String text() {
        return new String(DOCUMENT, StandardCharsets.UTF_8);
    }

    static void send(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
        res.send(DOCUMENT);
    }

    private static byte[] load() {
        try (InputStream in = OpenApi.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the management module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
