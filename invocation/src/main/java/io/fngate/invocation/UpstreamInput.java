package io.fngate.invocation;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * A buffered reader of the upstream socket without the per-call lock of {@link java.io.BufferedInputStream}:
 * response heads and chunk-size lines are parsed a byte at a time, and only one thread reads a connection at
 * a time (the exchange that holds it). Large reads bypass the buffer once it is empty.
 * <p>
 * It also carries the connection's read expiry ({@link #expireAt}): a limit on reads enforced from outside
 * (the pool's watchdog aborts the connection) instead of by {@code SO_TIMEOUT}. On a virtual thread a read with
 * {@code SO_TIMEOUT} that has to wait schedules a timer task and cancels it when data comes: two wake-ups of
 * the JDK's timer thread, and two thread switches, for every read that waits. Expired reads, and reads the
 * abort failed, throw {@link SocketTimeoutException}; the connection is then closed.
 */
final class UpstreamInput extends InputStream {
    /** No expiry armed. */
    static final long NEVER = Long.MAX_VALUE;

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    /** {@link System#nanoTime()} after which a read in progress is aborted, or {@link #NEVER}. */
    private volatile long expiresAt = NEVER;
    /** Whether a socket read is in progress: only such a read is aborted (like {@code SO_TIMEOUT}). */
    private volatile boolean reading;
    /** Set by the watchdog before it aborts the connection. */
    private volatile boolean expired;

    UpstreamInput(InputStream in, int size) {
        this.in = in;
        this.buf = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == limit) {
            if (len >= buf.length) {
                return socketRead(b, off, len); // nothing buffered: no point copying twice
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        int buffered = limit - pos;
        return buffered > 0 ? buffered : in.available();
    }

    /** Bytes read from the socket and not yet consumed. */
    int buffered() {
        return limit - pos;
    }

    /** Reads once into the empty buffer; a read timeout leaves it empty and usable. */
    private boolean fill() throws IOException {
        int n = socketRead(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private int socketRead(byte[] b, int off, int len) throws IOException {
        long limitNanos = expiresAt;
        if (limitNanos != NEVER && System.nanoTime() - limitNanos >= 0) {
            throw new SocketTimeoutException("read expired");
        }
        reading = true;
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            if (expired) {
                SocketTimeoutException t = new SocketTimeoutException("read expired");
                t.initCause(e);
                throw t;
            }
            throw e;
        } finally {
            reading = false;
        }
    }

    /**
     * Arms the expiry: a read still waiting at {@code nanoTime} (or begun after it) ends in a
     * {@link SocketTimeoutException}, and the connection with it. {@link #NEVER} disarms.
     */
    void expireAt(long nanoTime) {
        expiresAt = nanoTime;
    }

    /** The expiry armed, or {@link #NEVER}. */
    long expiresAt() {
        return expiresAt;
    }

    /**
     * For the watchdog: whether a read is waiting past its expiry. If so, it is marked expired and the caller
     * aborts the connection.
     */
    boolean expire(long now) {
        long limitNanos = expiresAt;
        if (limitNanos == NEVER || now - limitNanos < 0 || !reading) {
            return false;
        }
        expired = true;
        return true;
    }
}
