package io.fngate.edge;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

/**
 * One accepted connection, from accept to close. It tells HTTP/2 from HTTP/1.x, runs Helidon's connection of
 * that protocol over its own reader ({@link RequestStream}) and writer ({@link Http10Writer}), and keeps the
 * connection's clock for the {@link Edge}'s watchdog:
 * <pre>
 *   accept ─► IDLE ─first byte─► HEAD ─head accepted─► BUSY ─Helidon reads the next head─► IDLE ...
 *              │                  │                                   └─ HTTP/2 ─► H2
 *              └ idle-timeout:    └ request-head-timeout: 408, then LINGER ─► closed
 *                closed silently    (a rejected head: 4xx/5xx, then LINGER)
 *   H2: closed after idle-timeout with no stream open and nothing received
 * </pre>
 * LINGER reads and drops what the client still sends, for up to a second, before closing: closing at once with
 * unread input would make the kernel reset the connection, and the client could lose the answer.
 */
final class EdgeConnection implements ServerConnection, HeadReader.Progress {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long LINGER_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long LINGER_BYTES = 1024 * 1024;

    private enum Phase { IDLE, HEAD, BUSY, H2, LINGER }

    /** @param since when the phase began; for LINGER, when the socket is closed */
    private record State(Phase phase, long since) {
    }

    private final EdgeSelector selector;
    private final ConnectionContext original;
    private final HelidonSocket socket;
    private final RawInput in;
    private final RequestStream requests;
    private final Http10Writer writer;
    private final EdgeContext context;
    private final AtomicReference<State> state = new AtomicReference<>(new State(Phase.IDLE, System.nanoTime()));
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ServerConnection inner;
    private volatile ServerConnection http2;
    private volatile long http2Busy;
    private volatile int responseStatus;
    /** {@link System#nanoTime()} when the latest request head began (for the edge's answers). */
    private volatile long headStart;
    /** The server is stopping and asked this connection to close ({@link #close(boolean)}). */
    private volatile boolean closeRequested;

    EdgeConnection(EdgeSelector selector, ConnectionContext original) {
        this.selector = selector;
        this.original = original;
        this.socket = original.serverSocket();
        this.in = new RawInput(socket);
        this.requests = new RequestStream(this, in, selector.settings());
        this.writer = new Http10Writer(new HeadersHold(BulkWrites.over(original.dataWriter(), socket)));
        this.context = new EdgeContext(this, original, requests, writer);
        DataReader identified = original.dataReader();
        if (identified.available() > 0) {
            // Helidon read these to choose among several selectors: the edge is not the listener's only one
            in.unread(identified.readBytes(identified.available()));
            selector.notAlone();
        }
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        selector.edge().register(this);
        try {
            serve(limit);
        } finally {
            selector.edge().unregister(this);
        }
    }

    private void serve(Limit limit) throws InterruptedException {
        boolean h2;
        try {
            if (!in.fill()) {
                return; // closed before a byte (or the TLS handshake) arrived
            }
            started();
            // with TLS, the handshake (in the first read) has chosen the protocol by ALPN
            String alpn = socket.protocolNegotiated() ? socket.protocol() : null;
            h2 = "h2".equals(alpn) || (alpn == null && in.startsWith(PREFACE));
        } catch (UncheckedIOException | Rejected e) {
            return; // failed handshake, reset, or closed by the watchdog
        }
        if (h2) {
            requests.passThrough();
            ServerConnection connection = selector.http2().connection(context);
            http2(connection);
            run(connection, limit);
        } else {
            run(selector.http1().connection(context), limit);
        }
    }

    private void run(ServerConnection connection, Limit limit) throws InterruptedException {
        inner = connection;
        connection.handle(limit);
    }

    /** Sends an HTTP/2 connection a GOAWAY (draining); nothing for HTTP/1.x. */
    void goAway() {
        ServerConnection h2 = http2;
        if (h2 != null) {
            GoAway.send(h2);
        }
    }

    /** Helidon's HTTP/1.1 connection switched to HTTP/2 ({@code Upgrade: h2c}); called on this thread. */
    void upgraded(ServerConnection connection) {
        requests.passThrough();
        http2(connection);
    }

    private void http2(ServerConnection connection) {
        http2 = connection;
        long now = System.nanoTime();
        http2Busy = now;
        // unless the head timeout struck while the preface came in (then the watchdog closes at its deadline)
        state.updateAndGet(s -> s.phase == Phase.LINGER ? s : new State(Phase.H2, now));
    }

    /** Whether Helidon's HTTP/1.1 connection is reading a request head (its only interruptible state). */
    boolean helidonReadsHead() {
        return inner instanceof InterruptableTask<?> task && task.canInterrupt();
    }

    /** Helidon finished a request and waits for the next: idle time starts, unless a head already started. */
    void awaitRequest() {
        State s = state.get();
        if (s.phase == Phase.BUSY) {
            state.compareAndSet(s, new State(Phase.IDLE, System.nanoTime()));
        }
    }

    @Override
    public void started() {
        while (true) {
            State s = state.get();
            if (s.phase == Phase.LINGER) {
                throw Rejected.answered();
            }
            if (s.phase != Phase.IDLE) {
                return;
            }
            long now = System.nanoTime();
            if (state.compareAndSet(s, new State(Phase.HEAD, now))) {
                headStart = now;
                return;
            }
        }
    }

    @Override
    public void afterRead() {
        if (state.get().phase == Phase.LINGER) {
            throw Rejected.answered();
        }
    }

    /** The head is complete; throws {@link Rejected} when the head timeout was quicker. */
    void headComplete() {
        State s = state.get();
        if (s.phase != Phase.HEAD || !state.compareAndSet(s, new State(Phase.BUSY, System.nanoTime()))) {
            throw Rejected.answered();
        }
    }

    /**
     * Answers a rejected head (unless the watchdog already answered), lingers, and closes.
     *
     * @return the exception that ends Helidon's connection
     */
    CloseConnectionException reject(Rejected rejected) {
        State s = state.get();
        if (rejected.problem() != null && s.phase != Phase.LINGER
                && state.compareAndSet(s, new State(Phase.LINGER, System.nanoTime() + LINGER_NANOS))) {
            answer(rejected.problem(), rejected.detail(), rejected.head(), rejected.method(), rejected.path());
        }
        linger();
        return new CloseConnectionException("Request answered by the edge");
    }

    /** Called by the watchdog, about every tick. */
    void check(long now) {
        State s = state.get();
        EdgeSettings settings = selector.settings();
        switch (s.phase) {
        case IDLE -> {
            boolean drained = selector.edge().draining() && requests.served() > 0;
            if ((drained || now - s.since >= settings.idleTimeout().toNanos())
                    && state.compareAndSet(s, new State(Phase.LINGER, now))) {
                closeSocket(); // idle: nothing to answer
            }
        }
        case HEAD -> {
            if (now - s.since >= settings.requestHeadTimeout().toNanos()
                    && state.compareAndSet(s, new State(Phase.LINGER, now + LINGER_NANOS))) {
                answer(EdgeProblem.REQUEST_HEAD_TIMEOUT, "The request head was not complete within "
                        + settings.requestHeadTimeout().toMillis() + " ms of its first byte.", false,
                        Optional.empty(), Optional.empty());
            }
        }
        case H2 -> {
            if (http2 instanceof InterruptableTask<?> task && !task.canInterrupt()) {
                http2Busy = now; // streams are open
            } else if (closeRequested) {
                // Helidon asks once, as it stops; if a stream was still ending then, the HTTP/2 connection could not
                // be interrupted, and it looks again only when a frame comes, which an idle client never sends: the
                // stop would wait out its whole grace period. Asked again now that no stream is open, it ends.
                http2.close(false);
            } else if (now - http2Idle(s) >= settings.idleTimeout().toNanos()
                    && state.compareAndSet(s, new State(Phase.LINGER, now))) {
                closeSocket();
            }
        }
        case LINGER -> {
            if (now - s.since >= 0) {
                closeSocket();
            }
        }
        default -> {
            // BUSY: a request is being served; its own timeouts belong to the handler
        }
        }
    }

    private long http2Idle(State s) {
        return Math.max(Math.max(s.since, http2Busy), in.lastRead());
    }

    private void answer(EdgeProblem problem, String detail, boolean head, Optional<String> method,
                        Optional<String> path) {
        ProblemDetails details = problem.details(detail);
        byte[] response = ProblemHandler.response(details, problem.reason(), head);
        try {
            original.dataWriter().writeNow(BufferData.create(response));
        } catch (RuntimeException e) {
            // the client is gone; nothing else to do (the answer is still reported: the request was made)
        }
        long started = headStart;
        selector.edge().answered(details, method, path, clientAddress(), Optional.empty(),
                started == 0 ? -1 : System.nanoTime() - started);
    }

    private Optional<String> clientAddress() {
        try {
            return Optional.of(socket.remotePeer().host());
        } catch (RuntimeException e) {
            return Optional.empty(); // closed meanwhile
        }
    }

    private void linger() {
        long drained = 0;
        try {
            State s = state.get();
            while (drained < LINGER_BYTES && s.phase == Phase.LINGER && System.nanoTime() - s.since < 0) {
                drained += in.discard();
                if (!in.fill()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // closed by the watchdog at the deadline, or by the client
        }
        closeSocket();
    }

    private void closeSocket() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (RuntimeException e) {
                // already closed
            }
        }
    }

    @Override
    public Duration idleTime() {
        State s = state.get();
        long now = System.nanoTime();
        return switch (s.phase) {
            case IDLE -> Duration.ofNanos(now - s.since);
            case H2 -> http2 instanceof InterruptableTask<?> task && !task.canInterrupt() ? Duration.ZERO
                    : Duration.ofNanos(now - http2Idle(s));
            default -> Duration.ZERO;
        };
    }

    @Override
    public void close(boolean interrupt) {
        closeRequested = true;
        ServerConnection connection = inner;
        if (connection != null) {
            connection.close(interrupt);
        } else {
            closeSocket();
        }
    }

    RequestStream requests() {
        return requests;
    }

    Http10Writer writer() {
        return writer;
    }

    boolean draining() {
        return selector.edge().draining();
    }

    void responseStatus(int status) {
        this.responseStatus = status;
    }

    int responseStatus() {
        return responseStatus;
    }

    /** {@code host:port} of this end of the connection, the Host of an HTTP/1.0 request that names none. */
    String localAuthority() {
        String host = original.localPeer().host();
        int zone = host.indexOf('%'); // an IPv6 zone id is not part of a URI host
        host = zone < 0 ? host : host.substring(0, zone);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + original.localPeer().port();
    }
}
