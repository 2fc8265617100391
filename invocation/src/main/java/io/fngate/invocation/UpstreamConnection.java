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
 * One HTTP/1.1 connection to a function instance, over a plain JDK socket or TLS over one (blocking, on virtual
 * threads).
 * <p>
 * Reads and writes may happen on two threads at once (the request body pump writes while the handler reads
 * the response): that is the full duplex a streaming echo needs. {@link #abort()} from any thread unblocks
 * both at once.
 */
final class UpstreamConnection {
    /**
     * The read buffer. Reads at least this large bypass it (a body relay's 16 KiB reads), so it holds heads,
     * chunk lines and small bodies; an event stream keeps its connection for as long as it lasts, and this is
     * part of what it holds.
     */
    private static final int BUFFER = 8 * 1024;

    private final Instance instance;
    private final UpstreamPool.PerInstance owner;
    /** The TCP socket; for TLS, the one under {@link #socket}. */
    private final Socket raw;
    /** What requests are written to: {@link #raw} itself, or TLS over it. */
    private final Socket socket;
    private final UpstreamInput in;
    private final BufferedOutputStream out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean reused;
    private volatile long idleSinceNanos;
    /** In the pool's expiry watch: set by the exchange holding the connection, read by the watchdog. */
    volatile boolean watched;
    /** When the watchdog plans to look at the connection: set by the watchdog, read by the exchange. */
    volatile long dueAt;
    /** The watchdog's entry for the connection: set by the watchdog ({@link ReadExpiries}), read by the exchange. */
    volatile ReadExpiries.Due entry;

    private UpstreamConnection(Instance instance, UpstreamPool.PerInstance owner, Socket raw, Socket socket,
                               UpstreamInput in, BufferedOutputStream out) {
        this.instance = instance;
        this.owner = owner;
        this.raw = raw;
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    static UpstreamConnection open(Instance instance, UpstreamPool.PerInstance owner, Duration connectTimeout,
                                   UpstreamTls tls) throws IOException {
        // A channel's socket adaptor gives blocking streams that honour SO_TIMEOUT, and the channel itself
        // allows the non-blocking peek of isStale()
        SocketChannel channel = SocketChannel.open();
        Socket socket = channel.socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            socket.connect(new InetSocketAddress(instance.host(), instance.port()), millis);
            Socket io = socket;
            if (instance.secure()) {
                // the connect timeout bounds the handshake too: a peer that accepts and never answers is as
                // unreachable as one that does not accept
                socket.setSoTimeout(millis);
                io = tls.wrap(socket, instance.host(), instance.port());
                socket.setSoTimeout(0);
            }
            return new UpstreamConnection(instance, owner, socket, io,
                    new UpstreamInput(io.getInputStream(), BUFFER),
                    // without a size, and made on the exchange's virtual thread, the JDK starts the buffer at 512
                    // bytes and grows it to what the writes need (at most 8 KiB): a request head and a small body,
                    // about 1 KiB, instead of 8 KiB held for as long as the connection lives
                    new BufferedOutputStream(io.getOutputStream()));
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
        SocketChannel channel = raw.getChannel();
        try {
            if (in.buffered() > 0) {
                return true; // bytes of no response
            }
            if (raw != socket) {
                // Reading the TCP stream under TLS would eat part of a record. After a whole response has been
                // read, any TLS record still arriving on an idle connection is the peer's close_notify (or
                // garbage): both mean stale. A peer that closes without close_notify is not seen here; a request
                // without a body is then retried, one with a body fails as on any reset connection.
                return raw.getInputStream().available() > 0;
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
     * For waits that go on after a timeout (a keep-alive comment, a poll); a read whose timeout ends the exchange
     * uses {@link UpstreamPool#expireReads} instead, which costs no timer per read. Disarms that expiry.
     */
    void readTimeout(Duration timeout) {
        in.expireAt(UpstreamInput.NEVER);
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
            raw.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        try {
            // the TCP socket itself: closing TLS first would try to write close_notify, which may block behind
            // a stalled write
            raw.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        return true;
    }
}
