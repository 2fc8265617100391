package io.fngate.invocation;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonWriterFactory;

/**
 * Writes platform errors as {@code application/problem+json} (RFC 9457). The one place errors become bytes.
 */
final class Problems {
    private static final JsonWriterFactory WRITERS = Json.createWriterFactory(Map.of());

    private Problems() {
    }

    static byte[] body(PlatformError error, String detail, UUID requestId) {
        StringWriter out = new StringWriter();
        WRITERS.createWriter(out).writeObject(Json.createObjectBuilder()
                .add("type", error.type())
                .add("title", error.title())
                .add("status", error.status())
                .add("detail", detail)
                .add("instance", "urn:uuid:" + requestId)
                .add("requestId", requestId.toString())
                .build());
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends the problem unless the response was already started (then nothing can be said to the client).
     */
    static void send(ServerResponse res, PlatformError error, String detail, UUID requestId, boolean head) {
        if (res.isSent()) {
            return;
        }
        byte[] body = body(error, detail, requestId);
        res.status(Status.create(error.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (head) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }
}
