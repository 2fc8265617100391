package io.fngate.invocation;

import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.fngate.edge.Edge;
import io.fngate.edge.ProblemDetails;

/**
 * Writes platform errors as {@code application/problem+json} (RFC 9457) with the edge's {@link ProblemDetails}:
 * the one place invocation errors become bytes.
 */
final class Problems {
    private Problems() {
    }

    static byte[] body(PlatformError error, String detail, UUID requestId, String traceId) {
        // the same writer as the edge's own answers: one problem shape for every platform error
        return new ProblemDetails(error.status(), error.label(), error.title(), detail, requestId).toBytes(traceId);
    }

    /**
     * Sends the problem unless the response was already started (then nothing can be said to the client).
     */
    static void send(ServerResponse res, PlatformError error, String detail, UUID requestId, String traceId,
                     boolean head) {
        if (res.isSent()) {
            return;
        }
        byte[] body = body(error, detail, requestId, traceId);
        res.status(Status.create(error.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (head) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            res.send();
        } else {
            Edge.sendWhole(res, body);
        }
    }
}
