package io.fngate.edge;

import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;

/**
 * Thrown from a request-body read when the chunked framing the client sent is broken (bad chunk size, missing
 * CRLF, malformed trailer). It is a Helidon {@link RequestException}: a handler that lets it propagate gets the
 * edge's 400 {@code malformed-body} problem from the listener's direct handlers, and the connection is closed
 * after the answer because the request boundary is lost. Recognise it with {@link Edge#isMalformedBody(Throwable)}.
 */
final class MalformedBodyException extends RequestException {
    private static final long serialVersionUID = 1L;

    MalformedBodyException(String detail) {
        // the protected constructor skips build(), which is where Helidon fills in defaults (request, message)
        super(RequestException.builder()
                .request(DirectHandler.TransportRequest.empty())
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(Status.BAD_REQUEST_400)
                .message(detail)
                .safeMessage(true)
                .setKeepAlive(false));
    }
}
