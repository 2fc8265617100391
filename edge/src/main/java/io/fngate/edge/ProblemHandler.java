package io.fngate.edge;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.DateTime;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Gives the answers Helidon makes by itself (its direct handlers: a payload over {@code max-payload-size},
 * {@code max-concurrent-requests} exceeded, a request it finds invalid after the edge, an exception a handler
 * let escape, a {@link MalformedBodyException}) the same form as the edge's own: {@code application/problem+json}
 * with a fresh {@code nvcf-reqid}. Also writes the edge's own answers as raw HTTP/1.1 responses.
 * <p>
 * Never adds {@code Connection}: these answers may go out on HTTP/2, where that header is forbidden. Helidon
 * closes HTTP/1.1 connections after its connection-level errors itself; the edge closes after a malformed body.
 */
final class ProblemHandler implements DirectHandler {
    /** For listeners without an edge (an admin socket): tells no one of its answers. */
    static final ProblemHandler UNOBSERVED = new ProblemHandler(null);
    static final HeaderName REQUEST_ID = HeaderNames.create(ProblemDetails.REQUEST_ID_HEADER);
    private static final HeaderName NVCF_STATUS = HeaderNames.create("nvcf-status");
    private static final HeaderName EXPOSE = HeaderNames.create("Access-Control-Expose-Headers");

    /** The edge told of every answer, or null. */
    private final Edge edge;

    /** @param edge the edge whose listener is told of every answer, or null for none */
    ProblemHandler(Edge edge) {
        this.edge = edge;
    }

    /** @return direct handlers answering every event type with a problem */
    DirectHandlers handlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, this);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, Throwable thrown, System.Logger logger) {
        if (Edge.isMalformedBody(thrown)) {
            EdgeProblem p = EdgeProblem.MALFORMED_BODY;
            return respond(request, p.details("The chunked request body is not valid chunked transfer coding."),
                    responseHeaders);
        }
        return DirectHandler.super.handle(request, eventType, defaultStatus, responseHeaders, thrown, logger);
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        // the message is never returned: it may hold request data or internals
        return respond(request, problem(defaultStatus), responseHeaders);
    }

    private TransportResponse respond(TransportRequest request, ProblemDetails problem,
                                      ServerResponseHeaders headers) {
        if (edge != null) {
            // told before the answer is written (Helidon writes it after this returns): it is made by now
            Optional<String> method = Optional.empty();
            Optional<String> path = Optional.empty();
            Optional<String> userAgent = Optional.empty();
            if (request != null) {
                method = nonEmpty(request.method());
                path = nonEmpty(request.path()).map(RequestTarget::withoutQuery);
                userAgent = request.headers().first(HeaderNames.USER_AGENT);
            }
            edge.answered(problem, method, path, Optional.empty(), userAgent, -1);
        }
        TransportResponse.Builder builder = TransportResponse.builder()
                .status(Status.create(problem.status()))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, ProblemDetails.MEDIA_TYPE)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .header(REQUEST_ID, problem.requestId().toString())
                .header(NVCF_STATUS, "errored")
                .header(EXPOSE, ProblemDetails.REQUEST_ID_HEADER)
                .keepAlive(false);
        if (request != null && "HEAD".equals(request.method())) {
            return builder.build();
        }
        return builder.entity(problem.toBytes()).build();
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** The problem for a status Helidon chose; the detail says only what the status means. */
    static ProblemDetails problem(Status status) {
        int code = status.code() < 400 || status.code() > 599 ? 500 : status.code();
        String[] kind = switch (code) {
            case 400 -> new String[] {"bad-request", "Bad request", "The request is not valid HTTP."};
            case 403 -> new String[] {"forbidden", "Forbidden", "The request is not allowed."};
            case 413 -> new String[] {"body-too-large", "Request body too large",
                    "The request body is larger than this server accepts."};
            case 414 -> new String[] {"request-line-too-long", "Request line too long",
                    "The request target is too long."};
            case 431 -> new String[] {"header-fields-too-large", "Request header fields too large",
                    "The request header section is too large."};
            case 500 -> new String[] {"internal-error", "Internal gateway error",
                    "The request could not be processed."};
            case 503 -> new String[] {"server-busy", "Server busy",
                    "The server is serving as many requests as it may; try again."};
            case 505 -> new String[] {"http-version-not-supported", "HTTP version not supported",
                    "The HTTP version is not supported."};
            default -> {
                String reason = Status.create(code).reasonPhrase();
                String label = reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
                yield new String[] {label.isEmpty() ? "http-" + code : label, reason, "The request failed: " + reason
                        + "."};
            }
        };
        return new ProblemDetails(code, kind[0], kind[1], kind[2], UUID.randomUUID());
    }

    /**
     * A complete HTTP/1.1 response carrying {@code problem}, for the edge to write itself; it closes the connection.
     *
     * @param reason the status line's reason phrase
     * @param head   whether the request was a HEAD (no body then, its length still announced)
     */
    static byte[] response(ProblemDetails problem, String reason, boolean head) {
        byte[] body = problem.toBytes();
        Bytes out = new Bytes(320 + body.length);
        out.append("HTTP/1.1 " + problem.status() + " " + reason + "\r\n"
                + "Date: " + DateTime.rfc1123String() + "\r\n"
                + "Content-Type: " + ProblemDetails.MEDIA_TYPE + "\r\n"
                + "Cache-Control: no-store\r\n"
                + ProblemDetails.REQUEST_ID_HEADER + ": " + problem.requestId() + "\r\n"
                + "nvcf-status: errored\r\n"
                + "Access-Control-Expose-Headers: " + ProblemDetails.REQUEST_ID_HEADER + "\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n");
        if (!head) {
            out.append(body);
        }
        return out.toArray();
    }
}
