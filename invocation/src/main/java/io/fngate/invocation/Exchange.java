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
import io.helidon.http.HeaderValues;
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
    private static final io.helidon.http.HeaderName PREFER = HeaderNames.create("Prefer");
    private static final io.helidon.http.HeaderName NVCF_REQID = HeaderNames.create("nvcf-reqid");
    private static final io.helidon.http.HeaderName NVCF_STATUS = HeaderNames.create("nvcf-status");
    private static final io.helidon.http.HeaderName EXPOSE_HEADERS =
            HeaderNames.create("Access-Control-Expose-Headers");
    /** A pexec call that asks for an event stream waits this long by default before a 202 (which buffers). */
    private static final Duration SSE_POLL = Duration.ofMinutes(20);
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
    private final TraceContext trace;

    private String clientAddress;
    /** A pexec path route: the body goes to the version's inferenceUrl; the answer may be a 202. */
    private boolean pexec;
    /** Any of NVCF's path routes: answers carry CORS headers. */
    private boolean pathRoute;
    /** The request id the answer names: this request's, or the polled one's when a poll delivers a result. */
    private UUID answerId = id;
    /** The function the request concerned, for the record (the routed one, or the polled request's). */
    private UUID functionId;
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
    // observability: what the record tells besides the answer
    private Duration queueWait;
    private Duration connected;
    private Duration firstByte;
    private Instance instance;
    private long smallBodyBytes;
    private RequestBodyPump bodyPump;

    Exchange(InvocationHandler ctx, ServerRequest req, ServerResponse res) {
        this.ctx = ctx;
        this.req = req;
        this.res = res;
        this.start = ctx.clock().instant();
        this.deadline = start.plus(ctx.settings().requestTimeout());
        this.head = req.prologue().method() == Method.HEAD;
        this.cancel = Cancellation.create(this::watchWhileQueued);
        this.trace = TraceContext.from(header("traceparent"), ctx.listener().sampleNewTrace());
    }

    void run() {
        runOnce();
        if (outcome == InvocationRecord.Outcome.CLIENT_GONE && !res.isSent()) {
            // nobody is left to answer; ending without a response would make Helidon log a warning and try a 500
            // on the dead connection: the connection (HTTP/1.x) or stream (HTTP/2) is dropped quietly instead
            if (req.prologue().protocolVersion().startsWith("1")) {
                throw new CloseConnectionException("request " + id + ": client gone");
            }
            throw new AbortClientException("client gone");
        }
    }

    private void runOnce() {
        try {
            serve();
        } catch (InvocationFailure f) {
            if (shutdown) {
                answer(PlatformError.SHUTTING_DOWN, "The gateway is shutting down; retry the request.");
                return;
            }
            if (lease != null && (f.error() == PlatformError.UPSTREAM_UNREACHABLE
                    || f.error() == PlatformError.UPSTREAM_PROTOCOL)) {
                reportFailure();
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
        if (parsed instanceof RouteFailure failure && failure.kind() == RouteFailure.Kind.NO_TARGET) {
            if (healthProbe()) {
                stamp(200);
                status = 200;
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(HEALTH);
                return;
            }
            Optional<PathRoutes.Match> match = PathRoutes.match(req.prologue().uriPath().rawPath());
            if (match.isPresent()) {
                pathRoute = true;
                if (PathRoutes.preflight(req)) {
                    stamp(200);
                    status = 200;
                    PathRoutes.answerPreflight(req, res);
                    return;
                }
                caller = authenticate();
                switch (match.get()) {
                case PathRoutes.Malformed m -> throw new InvocationFailure(PlatformError.MALFORMED_TARGET, m.detail());
                case PathRoutes.Poll poll -> {
                    allow(Method.GET, "GET");
                    StatusPoll.answer(this, ctx.asyncResults(), poll.requestId(), caller.key().id(),
                            responseStartTimeout());
                    return;
                }
                case PathRoutes.Invoke invoke -> {
                    allow(Method.POST, "POST");
                    pexec = true;
                    parsed = invoke.target();
                }
                }
            }
        }
        if (!pathRoute) { // a path route authenticated above
            caller = authenticate();
        }
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
        functionId = route.function().id();
        Duration responseStart = responseStartTimeout();
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > ctx.settings().maxBodyBytes()) {
            throw new InvocationFailure(PlatformError.BODY_TOO_LARGE,
                    "The request body exceeds " + ctx.settings().maxBodyBytes() + " bytes.");
        }
        boolean hasBody = declared.isPresent() ? declared.getAsLong() > 0 : req.content().hasEntity();
        admitBy = min(start.plus(responseStart), deadline);
        admit(hasBody);
        UpstreamStart started;
        try {
            started = new Upstream(this, responseStart, declared, hasBody, mayAnswerAsync()).start();
        } catch (StillRunning running) {
            goAsync(running, responseStart);
            return;
        }
        firstByte = Duration.between(start, ctx.clock().instant());
        LegResult leg = new ResponseLeg(this, started).relay();
        status = leg.status();
        outcome = leg.outcome();
        bytesOut = leg.bytes();
        if (leg.outcome() == InvocationRecord.Outcome.UPSTREAM_FAILED || leg.status() == 502) {
            reportFailure();
        } else {
            lease.report(Lease.Result.SUCCESS);
        }
        leg.abort().ifPresent(this::abortClient);
    }

    /** Answers 405 (with {@code Allow}) unless the request uses the route's method. */
    private void allow(Method method, String allowed) {
        if (req.prologue().method() != method) {
            res.header(HeaderNames.ALLOW, allowed);
            throw new InvocationFailure(PlatformError.METHOD_NOT_ALLOWED,
                    "This route takes " + allowed + " requests only.");
        }
    }

    /**
     * Whether the container's silence past the poll time becomes a 202 instead of a 504: always on pexec routes,
     * on the Host route only when the client asks with {@code Prefer: respond-async} (RFC 7240). A Host-route
     * client that did not ask would not know to poll.
     */
    private boolean mayAnswerAsync() {
        if (pexec) {
            return true;
        }
        for (String prefer : req.headers().all(PREFER, java.util.List::of)) {
            for (String token : prefer.split(",")) {
                if (token.trim().toLowerCase(java.util.Locale.ROOT).startsWith("respond-async")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The container is still working after the poll time: the invocation goes on in the background with the lease
     * and the connection, and the client gets 202 with the request id to poll.
     */
    private void goAsync(StillRunning running, Duration poll) {
        upstream = null;
        AsyncResults results = ctx.asyncResults();
        long max = ctx.settings().maxResponseSize().orElse(Long.MAX_VALUE);
        AsyncInvocation inv = new AsyncInvocation(id, caller.key().id(), lease, running, deadline, head, ctx,
                results.newBody(id, Math.min(max, results.settings().maxResultSize())),
                ctx.clock().instant().plus(results.settings().unpolledAfter(poll)));
        lease = null; // the invocation releases it when it ends
        if (!results.add(inv)) {
            inv.cancel();
            throw new InvocationFailure(PlatformError.SHUTTING_DOWN, "The gateway is shutting down; retry the request.");
        }
        inv.start();
        StatusPoll.inProgress(this, id, running.reader().progress());
    }

    /**
     * Takes a slot on an instance, waiting in the function's queue while every instance is busy (the request body
     * stays in the socket meanwhile). While it waits, the client is watched: a client that leaves is taken out of
     * the queue at once and never reaches an instance.
     */
    private void admit(boolean hasBody) {
        queueBodyUnread = hasBody;
        long asked = System.nanoTime();
        try {
            lease = ctx.dispatcher().acquire(route, admitBy, cancel, Set.of());
            versionId = lease.version().id();
            instance = lease.instance();
            queueWait = lease.queueWait();
        } catch (DispatchException e) {
            if (e.kind() == DispatchException.Kind.QUEUE_TIMEOUT || e.kind() == DispatchException.Kind.CANCELLED) {
                queueWait = Duration.ofNanos(System.nanoTime() - asked);
            }
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
        reportFailure();
        UUID failedVersion = lease.version().id();
        tried.add(lease.instance());
        lease.close();
        lease = null;
        if (failures > ctx.dispatcher().settings().connectRetries()) {
            return false;
        }
        try {
            lease = ctx.dispatcher().retry(route, admitBy, cancel, tried);
            versionId = lease.version().id();
            instance = lease.instance();
            ctx.listener().retried(route.function().id(), failedVersion);
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
            Duration configured = ctx.settings().responseStartTimeout();
            // a 202 would turn an event stream into one buffered answer: streams get longer to start
            return pexec && wantsEventStream() && configured.compareTo(SSE_POLL) < 0 ? SSE_POLL : configured;
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

    private boolean wantsEventStream() {
        return header("accept").map(a -> a.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream"))
                .orElse(false);
    }

    /** Adds the headers every response carries, platform error or not. */
    void stamp(int code) {
        stamp(code, answerId);
    }

    /** {@link #stamp(int)} naming another request (a poll answers for the request it polled). */
    void stamp(int code, UUID requestId) {
        if (pathRoute) {
            PathRoutes.cors(req, res);
        }
        // unique per response: never indexed in HTTP/2's HPACK table (see ResponseLeg)
        res.header(HeaderValues.create(NVCF_REQID, true, false, requestId.toString()));
        res.header(NVCF_STATUS, nvcfStatus(code));
        res.header(EXPOSE_HEADERS, "nvcf-reqid");
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
            Problems.send(res, kind, detail, answerId, trace.traceId(), head);
        } catch (UncheckedIOException e) {
            outcome = InvocationRecord.Outcome.CLIENT_GONE;
        }
    }

    /** Answers a platform error for another request: a polled request's failure. */
    void answerAs(UUID requestId, PlatformError kind, String detail) {
        answerId = requestId;
        answer(kind, detail);
    }

    /** A poll concerned this function's request (for the record). */
    void polled(UUID function, UUID version) {
        functionId = function;
        versionId = version;
    }

    /** The answer was sent by a helper (202, or a delivered result). */
    void answered(int code, long bytes) {
        status = code;
        bytesOut = bytes;
    }

    /** Whether the request came on a pexec path route. */
    boolean pexec() {
        return pexec;
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
            long bytesIn = smallBodyBytes + (bodyPump == null ? 0 : bodyPump.bytesSent());
            ctx.listener().completed(new InvocationRecord(id, trace.record(), start, req.prologue().method().text(),
                    req.prologue().uriPath().rawPath(),
                    Optional.ofNullable(functionId),
                    Optional.ofNullable(versionId), Optional.ofNullable(instance),
                    status, Optional.ofNullable(error), outcome,
                    Duration.between(start, ctx.clock().instant()), Optional.ofNullable(queueWait),
                    Optional.ofNullable(connected), Optional.ofNullable(firstByte), bytesIn, bytesOut,
                    clientAddress == null ? "" : clientAddress, header("user-agent").orElse("")));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "invocation listener failed", e);
        }
    }

    /**
     * Reports a failure of the leased instance to the dispatcher, and to the listener when that report ejected
     * the instance (it was not ejected before, and is now).
     */
    private void reportFailure() {
        boolean before = ejected();
        lease.report(Lease.Result.FAILURE);
        if (!before && ejected()) {
            ctx.listener().ejected(lease.function().id(), lease.version().id(), lease.instance());
        }
    }

    private boolean ejected() {
        return ctx.dispatcher().load(lease.version().id(), lease.instance())
                .flatMap(l -> l.ejectedUntil()).isPresent();
    }

    /** The request leg failed on the leased instance (told to the listener; the caller acts on it). */
    void upstreamFailed(UpstreamFailure failure) {
        ctx.listener().upstreamFailed(lease.function().id(), lease.version().id(), failure);
    }

    /** A connection to the leased instance is had (for the record's connect phase). */
    void connected() {
        connected = Duration.between(start, ctx.clock().instant());
    }

    /** A reused connection turned out closed: the request goes again on a fresh one to the same instance. */
    void retriedFresh() {
        ctx.listener().retried(lease.function().id(), lease.version().id());
    }

    /**
     * What of the request body goes upstream: a small body sent whole, or a pump streaming it (may be null).
     */
    void requestBody(long smallBytes, RequestBodyPump pump) {
        smallBodyBytes = smallBytes;
        bodyPump = pump;
    }

    TraceContext trace() {
        return trace;
    }

    Instant start() {
        return start;
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
