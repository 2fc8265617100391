package io.fngate.invocation;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fngate.registry.Instance;

/**
 * One HTTP/1.1 connection to a function instance, over a plain JDK socket (blocking, on virtual threads).
 * <p>
 * Reads and writes may happen on two threads at once (the request body pump writes while the handler reads
 * the response): that is the full duplex a streaming echo needs. {@link #abort()} from any thread unblocks
 * both at once.
 */
final class UpstreamConnection {
    private static final int BUFFER = 16 * 1024;

    private final Instance instance;
    private final UpstreamPool.PerInstance owner;
    private final Socket socket;
    private final UpstreamInput in;
    private final BufferedOutputStream out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean reused;
    private volatile long idleSinceNanos;

    private UpstreamConnection(Instance instance, UpstreamPool.PerInstance owner, Socket socket, UpstreamInput in,
                               BufferedOutputStream out) {
        this.instance = instance;
        this.owner = owner;
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    static UpstreamConnection open(Instance instance, UpstreamPool.PerInstance owner, Duration connectTimeout)
            throws IOException {
        // A channel's socket adaptor gives blocking streams that honour SO_TIMEOUT, and the channel itself
        // allows the non-blocking peek of isStale()
        SocketChannel channel = SocketChannel.open();
        Socket socket = channel.socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(instance.host(), instance.port()),
                    (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            return new UpstreamConnection(instance, owner, socket,
                    new UpstreamInput(socket.getInputStream(), BUFFER),
                    new BufferedOutputStream(socket.getOutputStream(), BUFFER));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Whether an idle connection can no longer carry a request: the container closed it (FIN or RST) or sent
     * bytes nobody asked for. Containers close idle keep-alive connections on their own schedule (uvicorn after
     * 5 s) without saying so; sending a request with a body into such a connection would fail it with no way to
     * replay the body. A non-blocking one-byte read answers in microseconds. Only call while no thread uses the
     * connection.
     */
    boolean isStale() {
        if (closed.get()) {
            return true;
        }
        SocketChannel channel = socket.getChannel();
        try {
            if (in.buffered() > 0) {
                return true; // bytes of no response
            }
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.allocate(1)) != 0;
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException e) {
            return true;
        }
    }

    /** Marks the connection idle in the pool; once reused, a stale keep-alive connection is possible. */
    void markIdle(long nowNanos) {
        this.reused = true;
        this.idleSinceNanos = nowNanos;
    }

    Instance instance() {
        return instance;
    }

    UpstreamPool.PerInstance owner() {
        return owner;
    }

    UpstreamInput in() {
        return in;
    }

    BufferedOutputStream out() {
        return out;
    }

    boolean reused() {
        return reused;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * How long the next reads may block before {@link java.net.SocketTimeoutException}; the socket stays usable.
     */
    void readTimeout(Duration timeout) {
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            socket.setSoTimeout((int) millis);
        } catch (SocketException e) {
            // closed concurrently: the next read reports it
        }
    }

    /**
     * Orderly close, for connections that are simply not reused.
     *
     * @return true for the call that closed it, false when it was closed already
     */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        return true;
    }

    /**
     * Abortive close (RST): the container's next write or read fails at once, so it stops working on a request
     * nobody waits for; blocked reads and writes on this side fail immediately.
     */
    boolean abort() {
        if (closed.get()) {
            return false;
        }
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        return close();
    }
}
