package io.fngate.management;

import java.util.UUID;

import io.fngate.edge.ProblemDetails;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes management errors as {@code application/problem+json} (RFC 9457) in the same shape as invocation's
 * platform errors: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}
 * ({@code urn:uuid:<request id>}) and {@code requestId}, with the request id in {@code nvcf-reqid}, written by the
 * edge's {@link ProblemDetails} like every other platform error.
 */
final class Problems {
    static final String REQUEST_ID_HEADER = ProblemDetails.REQUEST_ID_HEADER;

    private Problems() {
    }

    static byte[] body(ManagementError error, String detail, UUID requestId) {
        // the edge's writer: one problem shape for every platform error on both sockets
        return new ProblemDetails(error.status(), error.label(), error.title(), detail, requestId).toBytes();
    }

    /**
     * Sends the problem unless the response was already started (then nothing can be said to the client).
     */
    static void send(ServerResponse res, ManagementError error, String detail, UUID requestId) {
        if (res.isSent()) {
            return;
        }
        res.status(Status.create(error.status()));
        res.header(HeaderNames.CONTENT_TYPE, ProblemDetails.MEDIA_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create(REQUEST_ID_HEADER), requestId.toString());
        res.send(body(error, detail, requestId));
    }
}
