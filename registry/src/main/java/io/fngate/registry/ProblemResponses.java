package io.fngate.registry;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;

/**
 * Writes management errors as {@code application/problem+json} (RFC 9457): {@code type}, {@code title},
 * {@code status}, {@code detail} and {@code instance} (the request path). The one place these errors become
 * bytes.
 */
final class ProblemResponses {
    private ProblemResponses() {
    }

    static byte[] body(ManagementError error, String detail, String instance) {
        return Json.createObjectBuilder()
                .add("type", error.type())
                .add("title", error.title())
                .add("status", error.status())
                .add("detail", detail)
                .add("instance", instance)
                .build().toString().getBytes(StandardCharsets.UTF_8);
    }

    static void send(ServerResponse res, ManagementError error, String detail, String instance) {
        if (res.isSent()) {
            return;
        }
        res.status(Status.create(error.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (error == ManagementError.MISSING_CREDENTIALS) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"fngate-admin\"");
        }
        res.send(body(error, detail, instance));
    }
}
