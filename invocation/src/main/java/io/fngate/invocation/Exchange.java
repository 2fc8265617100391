package io.fngate.invocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.AuthResult;
import io.fngate.auth.Caller;
import io.fngate.auth.Rejection;
import io.fngate.auth.Scope;
import io.fngate.registry.Instance;
import io.fngate.routing.Cancellation;
import io.fngate.routing.DispatchException;
import io.fngate.routing.InvocationTarget;
import io.fngate.routing.Lease;
import io.fngate.routing.ParsedTarget;
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
 * The steps ({@link #serve()}): resolve the route; admit the request to an instance (a {@link Lease} from the
 * dispatcher, maybe after waiting in the function's queue); the request leg ({@link Upstream}) returns the
 * response head; the response leg ({@link ResponseLeg}) relays it and returns how it ended. Failures come back
 * as {@link InvocationFailure} or {@link ClientGone}. This class alone answers platform errors, holds and
 * releases the lease (exactly once, whatever happens) and writes the {@link InvocationRecord}.
 * <p>
 * Threads: the handler's virtual thread writes the request head and reads the response; a
 * {@link RequestBodyPump} writes the request body meanwhile. Whoever ends the exchange early aborts the
 * upstream connection, which wakes the other side.
 */
final class Exchange {
    private static final Logger LOG = Logger.getLogger(Exchange.class.getName());
    private static final String POLL_SECONDS = "nvcf-poll-seconds";
    private static final byte[] HEALTH = "{\"status\":\"UP\"}".getBytes(StandardCharsets.US_ASCII);

    private final InvocationHandler ctx;
    private final ServerRequest req;
    private final ServerResponse res;
    private final UUID id = RequestIds.next();
    private final Instant start;
    private final Instant deadline;
    private final boolean head;
    private final Cancellation cancel;
    private final Set<Instance> tried = new HashSet<>(2);

    private String clientAddress;
    private Caller caller = Caller.anonymous();
    private Rejection rejection;
    private Route route;
    private Lease lease;
    /** The version of the last lease held, for the record. */
    private UUID versionId;
    private boolean queueBodyUnread;
    /** When an instance must have taken the request (queue wait, connect retries). */
    private Instant admitBy;
    private ClientWatch queueWatch;
    private boolean closeConnection;
    /** A reader of the request body that may still be blocked on the client when the exchange answers. */
    private BodyReader bodyReader;
    /** The upstream connection in use, for an abort from another thread at shutdown. */
    private volatile UpstreamConnection upstream;
    private volatile boolean shutdown;

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
        this.cancel = Cancellation.create(this::watchWhileQueued);
    }

    void run() {
        try {
            serve();
        } catch (InvocationFailure f) {
            if (shutdown) {
                answer(PlatformError.SHUTTING_DOWN, "The gateway is shutting down; retry the request.");
                return;
            }
            if (lease != null && (f.error() == PlatformError.UPSTREAM_UNREACHABLE
                    || f.error() == PlatformError.UPSTREAM_PROTOCOL)) {
                lease.report(Lease.Result.FAILURE);
            }
            answer(f.error(), f.detail());
            if (f.error() == PlatformError.REQUEST_BODY_TIMEOUT) {
                endStalledBody();
            }
            if (f.error() == PlatformError.MALFORMED_BODY && req.prologue().protocolVersion().startsWith("1")) {
                // the rest of the body can never be told from a next request
                throw new CloseConnectionException("request " + id + ": malformed request body");
            }
        } catch (ClientGone e) {
            if (shutdown && !res.isSent()) {
                answer(PlatformError.SHUTTING_DOWN, "The gateway is shutting down; retry the request.");
                return;
            }
            outcome = InvocationRecord.Outcome.CLIENT_GONE;
        } catch (RequestException e) {
            throw e; // Helidon's own client errors (malformed request): it answers them itself
        } catch (AbortClientException | CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request " + id + " failed unexpectedly", e);
            if (res.isSent()) {
                outcome = InvocationRecord.Outcome.UPSTREAM_FAILED;
                abortClient("unexpected failure after the response started");
            }
            answer(PlatformError.INTERNAL, "The gateway could not complete the request.");
        } finally {
            if (lease != null) {
                lease.close();
            }
            if (shutdown) {
                outcome = InvocationRecord.Outcome.SHUTDOWN;
            }
            report();
        }
    }

    /**
     * From another thread, at the end of the shutdown grace period: the request stops waiting for an instance,
     * and its upstream connection is reset, which wakes this exchange's thread wherever it waits on it.
     */
    void abortForShutdown() {
        shutdown = true;
        cancel.cancel();
        UpstreamConnection c = upstream;
        if (c != null) {
            ctx.pool().abort(c);
        }
    }

    /** The upstream connection now in use (null when none). */
    void upstream(UpstreamConnection connection) {
        upstream = connection;
        if (connection != null && shutdown) {
            ctx.pool().abort(connection); // the abort came while connecting
        }
    }

    private void serve() {
        clientAddress = readClientAddress();
        ParsedTarget parsed = ctx.router().parse(req.authority() == null ? "" : req.authority(), this::header);
        if (parsed instanceof RouteFailure failure && failure.kind() == RouteFailure.Kind.NO_TARGET && healthProbe()) {
            stamp(200);
            status = 200;
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(HEALTH);
            return;
        }
        caller = authenticate();
        if (parsed instanceof RouteFailure failure) {
            throw routeFailure(failure);
        }
        InvocationTarget target = (InvocationTarget) parsed;
        // the same answer for a function the key may not invoke and, unless it may list functions, for one that
        // does not exist: a key cannot probe which functions exist
        if (!caller.mayInvoke(target.functionId())) {
            throw forbidden(target);
        }
        RouteResult result = ctx.router().resolve(target);
        if (result instanceof RouteFailure failure) {
            if (failure.kind() == RouteFailure.Kind.UNKNOWN_FUNCTION && !caller.may(Scope.LIST_FUNCTIONS)) {
                throw forbidden(target);
            }
            throw routeFailure(failure);
        }
        route = (Route) result;
        Duration responseStart = responseStartTimeout();
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > ctx.settings().maxBodyBytes()) {
            throw new InvocationFailure(PlatformError.BODY_TOO_LARGE,
                    "The request body exceeds " + ctx.settings().maxBodyBytes() + " bytes.");
        }
        boolean hasBody = declared.isPresent() ? declared.getAsLong() > 0 : req.content().hasEntity();
        admitBy = min(start.plus(responseStart), deadline);
        admit(hasBody);
        UpstreamStart started = new Upstream(this, responseStart, declared, hasBody).start();
        LegResult leg = new ResponseLeg(this, started).relay();
        status = leg.status();
        outcome = leg.outcome();
        bytesOut = leg.bytes();
        if (leg.outcome() == InvocationRecord.Outcome.UPSTREAM_FAILED || leg.status() == 502) {
            lease.report(Lease.Result.FAILURE);
        } else {
            lease.report(Lease.Result.SUCCESS);
        }
        leg.abort().ifPresent(this::abortClient);
    }

    /**
     * Takes a slot on an instance, waiting in the function's queue while every instance is busy (the request body
     * stays in the socket meanwhile). While it waits, the client is watched: a client that leaves is taken out of
     * the queue at once and never reaches an instance.
     */
    private void admit(boolean hasBody) {
        queueBodyUnread = hasBody;
        try {
            lease = ctx.dispatcher().acquire(route, admitBy, cancel, Set.of());
            versionId = lease.version().id();
        } catch (DispatchException e) {
            throw refused(e, false);
        } finally {
            endQueueWatch();
        }
    }

    /** Called by the dispatcher on this thread just before the request starts to wait. */
    private void watchWhileQueued() {
        queueWatch = ctx.watcher().queued(req, res, queueBodyUnread, cancel::cancel);
    }

    private void endQueueWatch() {
        if (queueWatch != null) {
            queueWatch.close();
            closeConnection |= queueWatch.consumedInput();
            queueWatch = null;
        }
    }

    /**
     * The leased instance could not be reached and nothing was sent: reports it, and moves the request to another
     * instance when retries are left.
     *
     * @param failures connect failures so far
     * @return whether a new lease is held
     */
    boolean retryElsewhere(int failures) {
        lease.report(Lease.Result.FAILURE);
        tried.add(lease.instance());
        lease.close();
        lease = null;
        if (failures > ctx.dispatcher().settings().connectRetries()) {
            return false;
        }
        try {
            lease = ctx.dispatcher().retry(route, admitBy, cancel, tried);
            versionId = lease.version().id();
            return true;
        } catch (DispatchException e) {
            if (e.kind() == DispatchException.Kind.NO_INSTANCE) {
                return false;
            }
            throw refused(e, true);
        } finally {
            endQueueWatch();
        }
    }

    /** Remembers who reads the request body, for {@link #endStalledBody()}. */
    void readingBody(BodyReader reader) {
        bodyReader = reader;
    }

    /**
     * After a 408 for a body that stopped arriving, its reader is still blocked on the client. Over HTTP/1.1 the
     * connection is closed (the rest of the body can never be told from a next request); over HTTP/2 the reader
     * is woken, and the stream is already ended by the answer.
     */
    private void endStalledBody() {
        if (req.prologue().protocolVersion().startsWith("1")) {
            throw new CloseConnectionException("request " + id + ": request body timed out");
        }
        if (bodyReader != null) {
            bodyReader.wake();
        }
    }

    private RuntimeException refused(DispatchException e, boolean retrying) {
        return switch (e.kind()) {
        case QUEUE_FULL -> new InvocationFailure(PlatformError.QUEUE_FULL, e.detail());
        case QUEUE_TIMEOUT -> new InvocationFailure(PlatformError.QUEUE_TIMEOUT, e.detail());
        case NO_INSTANCE -> new InvocationFailure(retrying ? PlatformError.UPSTREAM_UNREACHABLE
                : PlatformError.NO_CAPACITY, e.detail());
        case CANCELLED -> new ClientGone("client went away while its request waited for an instance");
        };
    }

    /**
     * The client's address, read while its connection is surely open: once an HTTP/2 client has closed the
     * connection, Helidon no longer knows the peer (a NullPointerException inside it).
     */
    private String readClientAddress() {
        try {
            return req.remotePeer().host();
        } catch (RuntimeException e) {
            throw new ClientGone("client connection closed before its request was handled");
        }
    }

    private boolean healthProbe() {
        return (req.prologue().method() == Method.GET || head) && req.prologue().uriPath().rawPath().equals("/health");
    }

    /** The caller, by its bearer key; everyone when invocations need no key. */
    private Caller authenticate() {
        Optional<ApiKeys> keys = ctx.keys();
        if (keys.isEmpty() || !keys.get().invocationAuth()) {
            return Caller.anonymous();
        }
        String authorization = req.headers().contains(HeaderNames.AUTHORIZATION)
                ? req.headers().get(HeaderNames.AUTHORIZATION).get() : null;
        AuthResult result = keys.get().authenticate(authorization);
        if (result instanceof Caller c) {
            return c;
        }
        rejection = (Rejection) result;
        throw new InvocationFailure(PlatformError.UNAUTHORIZED, result == Rejection.UNKNOWN
                ? "The bearer key is not valid (unknown or revoked)."
                : "Invocations need an Authorization: Bearer <key> header.");
    }

    private static InvocationFailure forbidden(InvocationTarget target) {
        return new InvocationFailure(PlatformError.FORBIDDEN, "The key may not invoke function "
                + target.functionId() + ".");
    }

    private static InvocationFailure routeFailure(RouteFailure failure) {
        return new InvocationFailure(switch (failure.kind()) {
            case NO_TARGET, UNKNOWN_FUNCTION -> PlatformError.FUNCTION_NOT_FOUND;
            case MALFORMED_TARGET -> PlatformError.MALFORMED_TARGET;
            case UNKNOWN_VERSION -> PlatformError.VERSION_NOT_FOUND;
            case NO_INSTANCE -> PlatformError.NO_CAPACITY;
        }, failure.detail());
    }

    private Optional<String> header(String lowerName) {
        return req.headers().first(HeaderNames.create(lowerName));
    }

    private Duration responseStartTimeout() {
        Optional<String> poll = header(POLL_SECONDS);
        if (poll.isEmpty()) {
            return ctx.settings().responseStartTimeout();
        }
        try {
            int seconds = Integer.parseInt(poll.get().trim());
            if (seconds >= 1 && seconds <= InvocationSettings.MAX_POLL_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvocationFailure(PlatformError.BAD_REQUEST_HEADER,
                "NVCF-POLL-SECONDS must be an integer from 1 to " + InvocationSettings.MAX_POLL_SECONDS + ".");
    }

    /** Adds the headers every response carries, platform error or not. */
    void stamp(int code) {
        res.header(HeaderNames.create("nvcf-reqid"), id.toString());
        res.header(HeaderNames.create("nvcf-status"), nvcfStatus(code));
        res.header(HeaderNames.create("Access-Control-Expose-Headers"), "nvcf-reqid");
        if (closeConnection || ctx.draining()) {
            // watching the client took bytes of a next request, or the gateway is shutting down
            res.header(HeaderNames.CONNECTION, "close");
        }
    }

    static String nvcfStatus(int code) {
        if (code == 202) {
            return "in-progress";
        }
        return code >= 100 && code < 400 ? "fulfilled" : "errored";
    }

    /** Answers a platform error as problem+json, unless the response has started (then nothing can be said). */
    private void answer(PlatformError kind, String detail) {
        error = kind;
        outcome = InvocationRecord.Outcome.PLATFORM_ERROR;
        if (res.isSent()) {
            return;
        }
        status = kind.status();
        stamp(kind.status());
        if (kind == PlatformError.UNAUTHORIZED) {
            res.header(HeaderNames.WWW_AUTHENTICATE, rejection == Rejection.UNKNOWN
                    ? "Bearer realm=\"fngate\", error=\"invalid_token\"" : "Bearer realm=\"fngate\"");
        }
        if (kind == PlatformError.QUEUE_FULL) {
            res.header(HeaderNames.RETRY_AFTER,
                    Long.toString(Math.max(1, ctx.dispatcher().settings().retryAfter().toSeconds())));
        }
        try {
            Problems.send(res, kind, detail, id, head);
        } catch (UncheckedIOException e) {
            outcome = InvocationRecord.Outcome.CLIENT_GONE;
        }
    }

    void log(String message) {
        LOG.info(() -> "request " + id + ": " + message);
    }

    /**
     * Ends the client's response abruptly: it cannot be completed honestly. On HTTP/1.1 the connection is
     * closed at once ({@link CloseConnectionException} skips Helidon's error handling, which would otherwise
     * read the rest of the request body first and could wait forever on a client that waits for us). On HTTP/2
     * an exception ends this stream only; other streams of the connection go on.
     */
    private void abortClient(String why) {
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
                    Optional.ofNullable(versionId),
                    status, Optional.ofNullable(error), outcome,
                    Duration.between(start, ctx.clock().instant()), bytesOut));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "invocation listener failed", e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    UUID id() {
        return id;
    }

    String clientAddress() {
        return clientAddress;
    }

    ServerRequest req() {
        return req;
    }

    ServerResponse res() {
        return res;
    }

    Lease lease() {
        return lease;
    }

    /** Who made the request (for results only that key may fetch). */
    Caller caller() {
        return caller;
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
