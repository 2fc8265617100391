package io.fngate.management;

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
 * Writes management errors as {@code application/problem+json} (RFC 9457) in the same shape as invocation's
 * platform errors: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}
 * ({@code urn:uuid:<request id>}) and {@code requestId}, with the request id in {@code nvcf-reqid}. The one place
 * these errors become bytes (kept apart so that both sockets can later share one writer).
 */
final class Problems {
    static final String REQUEST_ID_HEADER = "nvcf-reqid";
    private static final JsonWriterFactory WRITERS = Json.createWriterFactory(Map.of());

    private Problems() {
    }

    static byte[] body(ManagementError error, String detail, UUID requestId) {
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
    static void send(ServerResponse res, ManagementError error, String detail, UUID requestId) {
        if (res.isSent()) {
            return;
        }
        res.status(Status.create(error.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create(REQUEST_ID_HEADER), requestId.toString());
        res.send(body(error, detail, requestId));
    }
}
