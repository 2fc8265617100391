package io.fngate.invocation;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Notices, while a response body is being relayed, that the client went away or stopped reading.
 * <p>
 * Helidon 4.5.0 tells a handler neither: an HTTP/1.1 client's close is seen only when a write fails (the
 * connection's socket is not read while the handler runs), and an HTTP/2 RST_STREAM does not reach the
 * handler at all (writes to the reset stream keep succeeding). This class is the one place that reaches into
 * Helidon internals to do better; when they are not accessible (a Helidon upgrade, or a module path without
 * the {@code --add-opens} the {@code fngate} script passes) it logs once and degrades to noticing on write.
 * <ul>
 *     <li>HTTP/1.1 event streams: a virtual thread blocks reading the client's plain socket; end of stream
 *     means the client left. Such a read could swallow a pipelined next request, so a watched response
 *     carries {@code Connection: close}.</li>
 *     <li>HTTP/2: the stream's state is polled; {@code CLOSED} while we still relay means the client reset it.</li>
 *     <li>Every relayed body: a write blocked longer than the write timeout means a client that stopped
 *     reading; on HTTP/1.1 its connection is closed, which fails the blocked write.</li>
 * </ul>
 * One shared daemon thread checks all watches every {@link #TICK}. Not responsible for what happens next:
 * the {@code onGone} callback (the exchange) aborts the upstream.
 */
final class ClientWatch implements AutoCloseable {
    static final Duration TICK = Duration.ofMillis(25);
    /** Watches nothing: for bodies that cannot stall. */
    static final ClientWatch NONE = new ClientWatch(null, null, Duration.ofDays(1), () -> { });
    private static final Logger LOG = Logger.getLogger(ClientWatch.class.getName());
    private static final Set<ClientWatch> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final Internals INTERNALS = Internals.find();

    private final SocketChannel http1Channel;
    private final Object http2Stream;
    private final long writeTimeoutNanos;
    private final Runnable onGone;
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile long writeSince;
    private volatile boolean closed;

    static {
        Thread ticker = new Thread(ClientWatch::tickForever, "fngate-client-watch");
        ticker.setDaemon(true);
        ticker.start();
    }

    private ClientWatch(SocketChannel http1Channel, Object http2Stream, Duration writeTimeout, Runnable onGone) {
        this.http1Channel = http1Channel;
        this.http2Stream = http2Stream;
        this.writeTimeoutNanos = writeTimeout.toNanos();
        this.onGone = onGone;
    }

    /**
     * Starts watching a response about to be relayed.
     *
     * @param eventStream whether the body is an event stream (HTTP/1.1 close detection is armed only then)
     * @param onGone      run once, from a watcher thread, when the client is found gone or stalled
     */
    static ClientWatch start(ServerRequest req, ServerResponse res, boolean eventStream, Duration writeTimeout,
                             Runnable onGone) {
        boolean http1 = req.prologue().protocolVersion().startsWith("1");
        SocketChannel channel = http1 ? INTERNALS.http1Channel(req) : null;
        Object stream = http1 ? null : INTERNALS.http2Stream(res);
        ClientWatch watch = new ClientWatch(channel, stream, writeTimeout, onGone);
        if (channel != null && eventStream) {
            res.header(io.helidon.http.HeaderNames.CONNECTION, "close");
            Thread.ofVirtual().name("fngate-client-read").start(watch::readUntilClosed);
        }
        ACTIVE.add(watch);
        return watch;
    }

    /** Wraps the client body stream so a blocked write is seen by the ticker. */
    OutputStream wrap(OutputStream out) {
        if (this == NONE) {
            return out;
        }
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeSince = System.nanoTime();
                try {
                    out.write(b, off, len);
                } finally {
                    writeSince = 0;
                }
            }

            @Override
            public void flush() throws IOException {
                writeSince = System.nanoTime();
                try {
                    out.flush();
                } finally {
                    writeSince = 0;
                }
            }

            @Override
            public void close() throws IOException {
                writeSince = System.nanoTime();
                try {
                    out.close();
                } finally {
                    writeSince = 0;
                }
            }
        };
    }

    boolean gone() {
        return gone.get();
    }

    @Override
    public void close() {
        if (this != NONE) {
            closed = true;
            ACTIVE.remove(this);
        }
    }

    private void readUntilClosed() {
        ByteBuffer one = ByteBuffer.allocate(1);
        try {
            while (!closed) {
                one.clear();
                if (http1Channel.read(one) < 0) {
                    declareGone("client closed the connection");
                    return;
                }
                // bytes after the request on a Connection: close response are ignored
            }
        } catch (IOException e) {
            declareGone("client connection failed: " + e.getMessage());
        }
    }

    private void declareGone(String why) {
        if (!closed && gone.compareAndSet(false, true)) {
            LOG.fine(() -> "client gone: " + why);
            onGone.run();
        }
    }

    private void check(long now) {
        long since = writeSince;
        if (since != 0 && now - since > writeTimeoutNanos) {
            declareGone("client read nothing for longer than the write timeout");
            if (http1Channel != null) {
                try {
                    http1Channel.close(); // fails the blocked write
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
        if (http2Stream != null && INTERNALS.http2StreamClosed(http2Stream)) {
            declareGone("client reset the HTTP/2 stream");
        }
    }

    private static void tickForever() {
        while (true) {
            try {
                Thread.sleep(TICK.toMillis());
                long now = System.nanoTime();
                for (ClientWatch w : ACTIVE) {
                    w.check(now);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "client watch failed", e);
            }
        }
    }

    /** Reflective access to the few Helidon 4.5 internals needed; each part may be missing. */
    private record Internals(Field http1Ctx, Method serverSocket, Field nioDelegate, Field http2ResponseStream,
                             Method streamState) {

        static Internals find() {
            Field ctx = field("io.helidon.webserver.http1.Http1ServerRequest", "ctx");
            Field delegate = field("io.helidon.common.socket.NioSocket", "delegate");
            Field stream = field("io.helidon.webserver.http2.Http2ServerResponse", "stream");
            Method serverSocket = null;
            Method state = null;
            try {
                serverSocket = Class.forName("io.helidon.webserver.ConnectionContext").getMethod("serverSocket");
                state = Class.forName("io.helidon.http.http2.Http2Stream").getMethod("streamState");
            } catch (ReflectiveOperationException | RuntimeException e) {
                // reported below
            }
            if (ctx == null || delegate == null || stream == null || serverSocket == null || state == null) {
                LOG.warning("Helidon internals for client-disconnect detection are not accessible; departed clients"
                        + " are noticed on the next write only (run with the --add-opens of the fngate script)");
            }
            return new Internals(ctx, serverSocket, delegate, stream, state);
        }

        SocketChannel http1Channel(ServerRequest req) {
            if (http1Ctx == null || serverSocket == null || nioDelegate == null
                    || !http1Ctx.getDeclaringClass().isInstance(req)) {
                return null;
            }
            try {
                Object socket = serverSocket.invoke(http1Ctx.get(req));
                // plain sockets only: reading raw TLS records beside the SSL engine is not safe
                if (socket == null || socket.getClass() != nioDelegate.getDeclaringClass()) {
                    return null;
                }
                SocketChannel channel = (SocketChannel) nioDelegate.get(socket);
                return channel.isBlocking() ? channel : null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        Object http2Stream(ServerResponse res) {
            if (http2ResponseStream == null || streamState == null
                    || !http2ResponseStream.getDeclaringClass().isInstance(res)) {
                return null;
            }
            try {
                return http2ResponseStream.get(res);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        boolean http2StreamClosed(Object stream) {
            try {
                return String.valueOf(streamState.invoke(stream)).equals("CLOSED");
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }

        private static Field field(String className, String name) {
            try {
                Field f = Class.forName(className).getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
