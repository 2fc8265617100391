package io.fngate.invocation;

import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Notices clients that go away while their request waits for an instance or their response body is relayed,
 * for the invocation handler that owns it (one ticker thread, stopped by {@link #close()}).
 * <p>
 * Helidon 4.5.0 tells a handler neither: an HTTP/1.1 client's close is seen only when a write fails (the
 * connection's socket is not read while the handler runs), and an HTTP/2 RST_STREAM does not reach the handler
 * at all (writes to the reset stream keep succeeding). {@link HelidonInternals} is the one place that reaches
 * into Helidon to do better; without access it degrades to noticing on write.
 * <ul>
 *     <li>HTTP/2: the stream's state is polled every {@link #TICK}; {@code CLOSED} while we still wait or relay
 *     means the client reset it.</li>
 *     <li>HTTP/1.1, waiting in the queue with no request body: the ticker peeks at the socket without blocking.
 *     A request whose body is still unread cannot be watched this way (the peek would take body bytes); its
 *     departure is noticed when the body is read, before anything is sent upstream.</li>
 *     <li>HTTP/1.1 event streams: a virtual thread blocks reading the client's plain socket; end of stream means
 *     the client left. Such a read could swallow a pipelined next request, so a watched response carries
 *     {@code Connection: close}.</li>
 *     <li>Every relayed body: a write blocked longer than the write timeout means a client that stopped
 *     reading; on HTTP/1.1 its connection is closed, which fails the blocked write.</li>
 *     <li>Every streamed request body: a client that sends nothing for the request-body timeout while the pump
 *     waits for it (see {@link RequestBodyPump#checkStall}).</li>
 * </ul>
 */
final class ClientWatcher implements AutoCloseable {
    static final Duration TICK = Duration.ofMillis(25);
    private static final Logger LOG = Logger.getLogger(ClientWatcher.class.getName());

    private final Set<ClientWatch> active = ConcurrentHashMap.newKeySet();
    private final Set<RequestBodyPump> bodies = ConcurrentHashMap.newKeySet();
    private final long bodyTimeoutNanos;
    private final Thread ticker;
    private volatile boolean closed;

    /**
     * @param bodyTimeout how long a streamed request body may send nothing before it ends as timed out
     */
    ClientWatcher(Duration bodyTimeout) {
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
        ticker = Thread.ofPlatform().daemon().name("fngate-client-watch").unstarted(this::tickUntilClosed);
        ticker.start();
    }

    /**
     * Watches a request waiting for an instance.
     *
     * @param bodyUnread whether a request body may still be in the socket (then HTTP/1.1 is not watched)
     * @param onGone     run once, from the ticker, when the client is found gone
     */
    ClientWatch queued(ServerRequest req, ServerResponse res, boolean bodyUnread, Runnable onGone) {
        boolean http1 = req.prologue().protocolVersion().startsWith("1");
        SocketChannel channel = http1 && !bodyUnread ? HelidonInternals.INSTANCE.http1Channel(req).orElse(null) : null;
        Object stream = http1 ? null : HelidonInternals.INSTANCE.http2Stream(res).orElse(null);
        return register(new ClientWatch(this, channel, ClientWatch.Socket.PEEK, stream, Long.MAX_VALUE, onGone));
    }

    /**
     * Watches a response about to be relayed.
     *
     * @param eventStream whether the body is an event stream (HTTP/1.1 close detection is armed only then)
     * @param pump        the request body pump when the body is still streaming upstream, else null
     * @param onGone      run once, from a watcher thread, when the client is found gone or stalled
     */
    ClientWatch response(ServerRequest req, ServerResponse res, boolean eventStream, Duration writeTimeout,
                         RequestBodyPump pump, Runnable onGone) {
        boolean http1 = req.prologue().protocolVersion().startsWith("1");
        Optional<SocketChannel> channel = http1 ? HelidonInternals.INSTANCE.http1Channel(req) : Optional.empty();
        Object stream = http1 ? null : HelidonInternals.INSTANCE.http2Stream(res).orElse(null);
        ClientWatch watch = new ClientWatch(this, channel.orElse(null),
                eventStream ? ClientWatch.Socket.READ : ClientWatch.Socket.NONE, stream, writeTimeout.toNanos(),
                onGone);
        if (watch.socketMode() == ClientWatch.Socket.READ) {
            res.header(HeaderNames.CONNECTION, "close");
            Thread.ofVirtual().name("fngate-client-read").start(() -> watch.readUntilClosed(pump));
        }
        return register(watch);
    }

    private ClientWatch register(ClientWatch watch) {
        active.add(watch);
        return watch;
    }

    void remove(ClientWatch watch) {
        active.remove(watch);
    }

    /** Watches a streamed request body for a client that stops sending (see {@link RequestBodyPump}). */
    void watchBody(RequestBodyPump pump) {
        bodies.add(pump);
    }

    /**
     * @return watches in progress (for tests)
     */
    int active() {
        return active.size();
    }

    private void tickUntilClosed() {
        while (!closed) {
            LockSupport.parkNanos(TICK.toNanos());
            try {
                long now = System.nanoTime();
                for (ClientWatch w : active) {
                    w.check(now);
                }
                for (RequestBodyPump pump : bodies) {
                    if (pump.running()) {
                        pump.checkStall(now, bodyTimeoutNanos);
                    } else {
                        bodies.remove(pump);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "client watch failed", e);
            }
        }
    }

    /** Stops the ticker; watches in progress then notice only on write. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(ticker);
    }
}
