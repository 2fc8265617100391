package io.fngate.invocation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * Notices that one client went away or stopped reading, while its request waits in the dispatch queue or its
 * response body is relayed. Made and checked by a {@link ClientWatcher}; see there for why and how.
 * <p>
 * Not responsible for what happens next: the {@code onGone} callback (the exchange) cancels the queued request
 * or aborts the upstream.
 */
final class ClientWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClientWatch.class.getName());

    /** How the plain HTTP/1.1 socket is watched, if at all. */
    enum Socket {
        /** Not watched (HTTP/2, TLS, a request body still unread, or internals not accessible). */
        NONE,
        /** Polled by the ticker with a non-blocking one-byte read: for a short wait, such as in the queue. */
        PEEK,
        /** Read by a virtual thread of its own until the connection closes: for long event streams. */
        READ
    }

    private final ClientWatcher watcher;
    private final SocketChannel http1Channel;
    private final Socket socket;
    private final Object http2Stream;
    private final long writeTimeoutNanos;
    private final Runnable onGone;
    private final AtomicBoolean gone = new AtomicBoolean();
    /** Serialises a peek (which flips the channel to non-blocking) with {@link #close()}. */
    private final ReentrantLock peekLock = new ReentrantLock();
    private volatile long writeSince;
    private volatile boolean closed;
    private volatile boolean consumedInput;

    ClientWatch(ClientWatcher watcher, SocketChannel http1Channel, Socket socket, Object http2Stream,
                long writeTimeoutNanos, Runnable onGone) {
        this.watcher = watcher;
        this.http1Channel = http1Channel;
        this.socket = http1Channel == null ? Socket.NONE : socket;
        this.http2Stream = http2Stream;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.onGone = onGone;
    }

    Socket socketMode() {
        return socket;
    }

    /** Wraps the client body stream so that a write blocked too long is seen by the ticker. */
    OutputStream wrap(OutputStream out) {
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

    /**
     * Whether watching read bytes the client sent after its request (a pipelined request): they are lost, so the
     * connection must close after this response.
     */
    boolean consumedInput() {
        return consumedInput;
    }

    /** Stops watching; after it returns, no peek is in progress and none starts. */
    @Override
    public void close() {
        peekLock.lock();
        try {
            closed = true;
        } finally {
            peekLock.unlock();
        }
        watcher.remove(this);
    }

    /**
     * Body of the reader thread of a {@link Socket#READ} watch. While a request body is still being pumped, the
     * same socket carries it: the watch reads nothing until the pump has ended (a client that leaves meanwhile
     * is noticed by the pump itself), else it would take body bytes from under the pump.
     *
     * @param pump the request body pump, or null when the body is already read
     */
    void readUntilClosed(RequestBodyPump pump) {
        if (pump != null) {
            try {
                while (!closed && !pump.awaitEnd(ClientWatcher.TICK)) {
                    // waiting for the body to end
                }
            } catch (InterruptedException e) {
                return;
            }
            if (pump.state() == RequestBodyPump.State.CLIENT_GONE) {
                declareGone("client went away while sending its request body");
                return;
            }
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        try {
            while (!closed) {
                one.clear();
                if (http1Channel.read(one) < 0) {
                    declareGone("client closed the connection");
                    return;
                }
                consumedInput = true; // bytes after the request on a Connection: close response are ignored
            }
        } catch (IOException e) {
            declareGone("client connection failed: " + e.getMessage());
        }
    }

    /** One round of the ticker. */
    void check(long now) {
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
        if (http2Stream != null && HelidonInternals.INSTANCE.http2StreamClosed(http2Stream)) {
            declareGone("client reset the HTTP/2 stream");
        }
        if (socket == Socket.PEEK && !consumedInput) {
            peek();
        }
    }

    /**
     * A non-blocking one-byte read of the client's socket: end of stream means the client left. Only done while
     * the exchange's own thread is parked (nothing else reads or writes this connection then), and never after
     * {@link #close()}.
     */
    private void peek() {
        if (!peekLock.tryLock()) {
            return;
        }
        try {
            if (closed) {
                return;
            }
            int n;
            http1Channel.configureBlocking(false);
            try {
                n = http1Channel.read(ByteBuffer.allocate(1));
            } finally {
                http1Channel.configureBlocking(true);
            }
            if (n < 0) {
                declareGone("client closed the connection while its request waited");
            } else if (n > 0) {
                consumedInput = true; // a pipelined request: stop peeking, close after this response
            }
        } catch (IOException | RuntimeException e) {
            declareGone("client connection failed while its request waited: " + e.getMessage());
        } finally {
            peekLock.unlock();
        }
    }

    private void declareGone(String why) {
        if (!closed && gone.compareAndSet(false, true)) {
            LOG.fine(() -> "client gone: " + why);
            onGone.run();
        }
    }
}
