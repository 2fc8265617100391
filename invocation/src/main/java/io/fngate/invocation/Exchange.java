package io.fngate.invocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fngate.routing.Route;
import io.fngate.routing.RouteFailure;
import io.fngate.routing.RouteResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One request on the invocation socket, from routing to the last byte of the response. Single use.
 * <p>
 * Threads: the handler's virtual thread writes the request head and reads the response; a
 * {@link RequestBodyPump} writes the request body meanwhile. Whoever ends the exchange early aborts the
 * upstream connection, which wakes the other side.
 */
final class Exchange {
    private static final Logger LOG = Logger.getLogger(Exchange.class.getName());
    private static final String POLL_SECONDS = "nvcf-poll-seconds";

    private final InvocationHandler ctx;
    private final ServerRequest req;
    private final ServerResponse res;
    private final UUID id = RequestIds.next();
    private final Instant start;
    private final Instant deadline;
    private final boolean head;

    private Route route;
    private int status;
    private PlatformError error;
    private InvocationRecord.Outcome outcome = InvocationRecord.Outcome.COMPLETED;
    private long bytesOut;

    Exchange(InvocationHandler ctx, ServerRequest req, ServerResponse res) {
        this.ctx = ctx;
        this.req = req;
        this.res = res;
        this.start = ctx.clock().instant();
        this.deadline = start.plus(ctx.settings().requestTimeout());
        this.head = req.prologue().method() == Method.HEAD;
    }

    void run() {
        try {
            dispatch();
        } catch (RequestException e) {
            throw e; // Helidon's own client errors (malformed request): it answers them itself
        } catch (AbortClientException | CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request " + id + " failed unexpectedly", e);
            if (res.isSent()) {
                abortClient("unexpected failure after the response started");
            }
            fail(PlatformError.INTERNAL, "The gateway could not complete the request.");
        } finally {
            report();
        }
    }

    private void dispatch() {
        RouteResult result = ctx.router().resolve(req.authority() == null ? "" : req.authority(), this::header);
        if (result instanceof RouteFailure failure) {
            if (failure.kind() == RouteFailure.Kind.NO_TARGET && healthProbe()) {
                stamp(200);
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send("{\"status\":\"UP\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return;
            }
            fail(switch (failure.kind()) {
                case NO_TARGET, UNKNOWN_FUNCTION -> PlatformError.FUNCTION_NOT_FOUND;
                case MALFORMED_TARGET -> PlatformError.MALFORMED_TARGET;
                case UNKNOWN_VERSION -> PlatformError.VERSION_NOT_FOUND;
                case NO_INSTANCE -> PlatformError.NO_CAPACITY;
            }, failure.detail());
            return;
        }
        route = (Route) result;
        Optional<Duration> responseStart = responseStartTimeout();
        if (responseStart.isEmpty()) {
            fail(PlatformError.BAD_REQUEST_HEADER,
                    "NVCF-POLL-SECONDS must be an integer from 1 to " + InvocationSettings.MAX_POLL_SECONDS + ".");
            return;
        }
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > ctx.settings().maxBodyBytes()) {
            fail(PlatformError.BODY_TOO_LARGE, "The request body exceeds " + ctx.settings().maxBodyBytes() + " bytes.");
            return;
        }
        boolean hasBody = declared.isPresent() ? declared.getAsLong() > 0 : req.content().hasEntity();
        new Upstream(this, responseStart.get(), declared, hasBody).run();
    }

    private boolean healthProbe() {
        return (req.prologue().method() == Method.GET || head) && req.prologue().uriPath().rawPath().equals("/health");
    }

    private Optional<String> header(String lowerName) {
        return req.headers().first(io.helidon.http.HeaderNames.create(lowerName));
    }

    private Optional<Duration> responseStartTimeout() {
        Optional<String> poll = header(POLL_SECONDS);
        if (poll.isEmpty()) {
            return Optional.of(ctx.settings().responseStartTimeout());
        }
        try {
            int seconds = Integer.parseInt(poll.get().trim());
            if (seconds >= 1 && seconds <= InvocationSettings.MAX_POLL_SECONDS) {
                return Optional.of(Duration.ofSeconds(seconds));
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        return Optional.empty();
    }

    /** Adds the headers every response carries, platform error or not. */
    void stamp(int code) {
        status = code;
        res.header(HeaderNames.create("nvcf-reqid"), id.toString());
        res.header(HeaderNames.create("nvcf-status"), nvcfStatus(code));
        res.header(HeaderNames.create("Access-Control-Expose-Headers"), "nvcf-reqid");
    }

    static String nvcfStatus(int code) {
        if (code == 202) {
            return "in-progress";
        }
        return code >= 100 && code < 400 ? "fulfilled" : "errored";
    }

    void fail(PlatformError kind, String detail) {
        error = kind;
        outcome = InvocationRecord.Outcome.PLATFORM_ERROR;
        if (res.isSent()) {
            return;
        }
        stamp(kind.status());
        try {
            Problems.send(res, kind, detail, id, head);
        } catch (UncheckedIOException e) {
            outcome = InvocationRecord.Outcome.CLIENT_GONE;
        }
    }

    void log(String message) {
        LOG.info(() -> "request " + id + ": " + message);
    }

    void ended(InvocationRecord.Outcome how, long bytes) {
        outcome = how;
        bytesOut = bytes;
    }

    /**
     * Ends the client's response abruptly: it cannot be completed honestly. On HTTP/1.1 the connection is
     * closed at once ({@link CloseConnectionException} skips Helidon's error handling, which would otherwise
     * read the rest of the request body first and could wait forever on a client that waits for us). On HTTP/2
     * an exception ends this stream only; other streams of the connection go on.
     */
    void abortClient(String why) {
        LOG.info(() -> "request " + id + ": response aborted: " + why);
        if (req.prologue().protocolVersion().startsWith("1")) {
            throw new CloseConnectionException("request " + id + ": " + why);
        }
        throw new AbortClientException(why);
    }

    private void report() {
        try {
            ctx.listener().completed(new InvocationRecord(id, req.prologue().method().text(),
                    route == null ? Optional.empty() : Optional.of(route.function().id()),
                    route == null ? Optional.empty() : Optional.of(route.version().id()),
                    status, Optional.ofNullable(error), outcome,
                    Duration.between(start, ctx.clock().instant()), bytesOut));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "invocation listener failed", e);
        }
    }

    UUID id() {
        return id;
    }

    ServerRequest req() {
        return req;
    }

    ServerResponse res() {
        return res;
    }

    Route route() {
        return route;
    }

    Instant deadline() {
        return deadline;
    }

    boolean head() {
        return head;
    }

    InvocationHandler ctx() {
        return ctx;
    }

    /** Thrown to make Helidon drop the client connection instead of ending a response that lies. */
    static final class AbortClientException extends UncheckedIOException {
        AbortClientException(String message) {
            super(new IOException(message));
        }
    }
}
