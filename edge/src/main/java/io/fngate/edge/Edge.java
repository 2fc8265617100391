package io.fngate.edge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.spi.ProtocolConfig;

/**
 * The front of one or more Helidon listeners: installed with {@link #applyTo}, it owns every connection of the
 * listener and makes sure each client gets an honest HTTP answer, whatever it sends and however slowly.
 * <ul>
 *     <li>HTTP/1.1 and HTTP/2 (h2c by prior knowledge or {@code Upgrade: h2c}; with TLS, ALPN {@code h2},
 *     {@code http/1.1} and {@code http/1.0}) are served by Helidon's own connections.</li>
 *     <li>HTTP/1.0 is served through the same routing ({@link #wireVersion} tells a handler).</li>
 *     <li>Malformed or oversized request heads never reach a handler: the edge answers them (400, 414, 431, 501,
 *     505) and closes the connection. So does a head that takes longer than {@code request-head-timeout} (408).
 *     A connection that sends nothing for {@code idle-timeout} is closed. See {@link EdgeSettings}.</li>
 *     <li>{@code Connection: close} closes the connection after the response; {@link #draining(boolean)} makes
 *     every HTTP/1.x response the last on its connection.</li>
 *     <li>Every answer the edge or Helidon itself gives is {@code application/problem+json}
 *     ({@link ProblemDetails}) with an {@code nvcf-reqid}.</li>
 * </ul>
 * Not the place for request routing, body size limits or per-request timeouts: once a head is accepted, the
 * request belongs to the handler. One watchdog thread per edge checks the timeouts of all its connections.
 * <p>
 * A server installs it like this (the listener's other settings first: {@link #applyTo} reads its protocol
 * settings):
 * <pre>{@code
 * Edge edge = Edge.create(EdgeSettings.create(config.get("server.edge")));
 * WebServer server = WebServer.builder()
 *         .port(8080)
 *         .update(edge::applyTo)
 *         .routing(...)
 *         .build().start();
 * // on SIGTERM: edge.draining(true); ... server.stop(); edge.close();
 * }</pre>
 */
public final class Edge implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Edge.class.getName());

    private final EdgeSettings settings;
    private final EdgeListener listener;
    private final Clock clock;
    private final ProblemHandler problems;
    private final Set<EdgeConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private volatile boolean draining;
    private volatile boolean closed;

    private Edge(EdgeSettings settings, EdgeListener listener, Clock clock) {
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.problems = new ProblemHandler(this);
        this.watchdog = Thread.ofPlatform().daemon().name("fngate-edge-watchdog").unstarted(this::watch);
        watchdog.start();
    }

    /**
     * Creates an edge and starts its watchdog thread.
     *
     * @param settings limits and timeouts
     * @return the edge; close it after the servers it fronts have stopped
     */
    public static Edge create(EdgeSettings settings) {
        return create(settings, EdgeListener.NONE, Clock.systemUTC());
    }

    /**
     * Creates an edge that tells {@code listener} of every problem answer given before a handler ran, and starts
     * its watchdog thread.
     *
     * @param settings limits and timeouts
     * @param listener told of each such answer once it is written (see {@link EdgeListener})
     * @param clock    the wall clock of {@link EdgeAnswer#start()}
     * @return the edge; close it after the servers it fronts have stopped
     */
    public static Edge create(EdgeSettings settings, EdgeListener listener, Clock clock) {
        return new Edge(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(listener, "listener"),
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Creates an edge and installs it on one listener; shorthand for {@link #create} and {@link #applyTo}.
     *
     * @param listener the listener's builder, its other settings made
     * @param settings limits and timeouts
     * @return the edge (to drain, and to close after the server stopped)
     */
    public static Edge install(ListenerConfig.BuilderBase<?, ?> listener, EdgeSettings settings) {
        Edge edge = create(settings);
        edge.applyTo(listener);
        return edge;
    }

    /**
     * Installs the edge on a listener (the server's default listener, or a named socket): turns protocol
     * discovery off, makes the edge the listener's only connection selector (HTTP/1.1 and HTTP/2 settings given
     * to the builder's {@code protocols} are kept), and sets direct handlers that answer with problems. Call it
     * after the listener's other settings.
     * <p>
     * Do not give the listener a {@code protocols} node in configuration: Helidon adds a selector for each such
     * protocol when the listener is built, beside the edge's. The edge then still serves every connection (Helidon
     * hands it the bytes it read to choose), but it no longer times a connection that sends nothing, and it logs a
     * warning. Set HTTP/1.1 and HTTP/2 options on the builder's {@code protocols(...)} instead.
     *
     * @param listener the listener's builder
     */
    public void applyTo(ListenerConfig.BuilderBase<?, ?> listener) {
        Objects.requireNonNull(listener, "listener");
        List<ProtocolConfig> protocols = listener.protocols();
        Http1Config http1 = protocols.stream().filter(Http1Config.class::isInstance).map(Http1Config.class::cast)
                .findFirst().orElseGet(Http1Config::create);
        Http2Config http2 = protocols.stream().filter(Http2Config.class::isInstance).map(Http2Config.class::cast)
                .findFirst().orElseGet(Http2Config::create);
        listener.protocolsDiscoverServices(false)
                .protocols(List.of())
                .connectionSelectors(List.of(new EdgeSelector(this, http1, http2)))
                .directHandlers(problems.handlers());
    }

    /**
     * Direct handlers that give Helidon's own error answers the problem form; {@link #applyTo} installs them.
     * For a listener without the edge (an admin socket) they can be set alone.
     *
     * @return the handlers, one for every event type
     */
    public static DirectHandlers directHandlers() {
        return ProblemHandler.UNOBSERVED.handlers();
    }

    /**
     * Starts or stops draining: while on, every HTTP/1.x response carries {@code Connection: close} and is the
     * last on its connection, and connections idle between requests are closed. New connections are still
     * served (one request each). HTTP/2 connections get a GOAWAY (no new streams; those open finish), and the
     * server's stop closes them when their streams have ended.
     *
     * @param draining whether to drain
     */
    public void draining(boolean draining) {
        boolean starting = draining && !this.draining;
        this.draining = draining;
        if (starting) {
            for (EdgeConnection c : connections) {
                c.goAway(); // HTTP/2 clients: no new streams here; those they have run to their end
            }
        }
    }

    /**
     * @return whether the edge is draining
     */
    public boolean draining() {
        return draining;
    }

    /**
     * @return the settings
     */
    public EdgeSettings settings() {
        return settings;
    }

    /**
     * @return connections open now on the listeners this edge fronts
     */
    public int openConnections() {
        return connections.size();
    }

    /**
     * The HTTP version the client put on the wire for this request: {@code HTTP/1.0}, {@code HTTP/1.1} or
     * {@code HTTP/2.0}. Needed because Helidon sees an HTTP/1.0 request as HTTP/1.1 (the edge rewrites it); the
     * answer then has no chunked coding and the connection closes after it unless the client asked for
     * keep-alive and the body has a length.
     *
     * @param request the request
     * @return the wire version
     */
    public static String wireVersion(ServerRequest request) {
        if (request.listenerContext() instanceof Http10ListenerContext) {
            return "HTTP/1.0";
        }
        HttpPrologue prologue = request.prologue();
        return prologue.protocol() + "/" + prologue.protocolVersion();
    }

    /**
     * The blocking channel under a plain (not TLS) connection's socket, for reading it beside Helidon (large
     * request bodies here, a departed client's close elsewhere). Reached by reflection; see
     * {@link #readsPlainChannels()}.
     *
     * @param socket a connection's socket
     * @return its channel; empty over TLS, or when Helidon's socket internals are not accessible
     */
    public static java.util.Optional<java.nio.channels.SocketChannel> plainChannel(
            io.helidon.common.socket.HelidonSocket socket) {
        return java.util.Optional.ofNullable(BulkReads.channel(socket));
    }

    /**
     * Sends a whole entity, as {@code res.send(entity)} does. Over an edge connection's HTTP/2 stream whose
     * flow-control window takes the entity, the response's HEADERS frame and its first DATA frame leave in one
     * socket write instead of Helidon's two (one client wake-up fewer per response). Call it on the thread that
     * handles the request.
     *
     * @param res    the response, nothing of it sent yet
     * @param entity the whole body
     */
    public static void sendWhole(io.helidon.webserver.http.ServerResponse res, byte[] entity) {
        HeadersHold.send(res, entity);
    }

    /**
     * A response body stream whose first write leaves in one socket write with the response head (which Helidon
     * writes at the first write, in a write of its own): one client wake-up fewer per streamed response, and an
     * event stream's first event arrives with its head. A {@code flush()} before any write sends the head alone.
     * Over HTTP/2 only when the stream's flow-control window takes that first write. Write to it on the thread
     * that handles the request.
     *
     * @param res the response, nothing of it sent yet
     * @param out {@code res.outputStream()}, possibly wrapped
     * @return the stream to write the body to
     */
    public static java.io.OutputStream headWithFirstWrite(io.helidon.webserver.http.ServerResponse res,
                                                          java.io.OutputStream out) {
        return HeadersHold.headWithFirstWrite(res, out);
    }

    /**
     * @return whether {@link #plainChannel} can find channels: the JVM runs with the fngate script's
     *         {@code --add-opens io.helidon.common.socket/io.helidon.common.socket=io.fngate.edge}
     */
    public static boolean readsPlainChannels() {
        return BulkReads.accessible();
    }

    /**
     * Whether a failure while reading a request body means the client sent a malformed body: broken chunked
     * framing (bad chunk size, missing CRLF, malformed trailer). Such a failure is the client's fault, not the
     * gateway's nor the upstream's: answer 400 (or let the exception propagate: it is a {@link RequestException}
     * that the edge's direct handlers turn into a 400 {@code malformed-body} problem); the connection is closed
     * after the answer. Call it on whatever a body read threw, on the handler's thread or on one that copies the
     * body elsewhere. Also recognises Helidon's own chunk errors on listeners without the edge.
     *
     * @param failure what reading the body threw (causes are searched)
     * @return whether the body was malformed
     */
    public static boolean isMalformedBody(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof MalformedBodyException) {
                return true;
            }
            // Helidon 4.5.0 without the edge: its chunk parser's own errors
            if (t instanceof RequestException && ("Chunk size is invalid".equals(t.getMessage())
                    || "Invalid terminating chunk".equals(t.getMessage()))) {
                return true;
            }
            if (t instanceof NumberFormatException && Arrays.stream(t.getStackTrace())
                    .anyMatch(e -> e.getMethodName().equals("readNextChunk"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops the watchdog. Call after the servers stopped: their connections are then no longer timed.
     */
    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
    }

    /**
     * Tells the listener of an answer just written.
     *
     * @param elapsedNanos from the head's first byte to the answer, or negative when not known
     */
    void answered(ProblemDetails problem, Optional<String> method, Optional<String> path,
                  Optional<String> client, Optional<String> userAgent, long elapsedNanos) {
        if (listener == EdgeListener.NONE) {
            return;
        }
        try {
            Instant now = clock.instant();
            Optional<Duration> elapsed = elapsedNanos < 0 ? Optional.empty()
                    : Optional.of(Duration.ofNanos(elapsedNanos));
            listener.answered(new EdgeAnswer(elapsed.map(now::minus).orElse(now), problem, method, path, client,
                    userAgent, elapsed));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "edge listener failed", e);
        }
    }

    void register(EdgeConnection connection) {
        connections.add(connection);
    }

    void unregister(EdgeConnection connection) {
        connections.remove(connection);
    }

    /** The watchdog: every tick, each connection checks its own deadlines. */
    private void watch() {
        long min = Math.min(settings.requestHeadTimeout().toMillis(), settings.idleTimeout().toMillis());
        long tick = Math.max(10, Math.min(250, min / 10));
        while (!closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(tick);
            } catch (InterruptedException e) {
                continue;
            }
            long now = System.nanoTime();
            for (EdgeConnection c : connections) {
                try {
                    c.check(now);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "edge watchdog: a connection check failed", e);
                }
            }
        }
    }
}
