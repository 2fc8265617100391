package io.fngate.edge;

import java.nio.channels.SocketChannel;
import java.util.Arrays;

import io.helidon.common.socket.HelidonSocket;

/**
 * The bytes of one connection as they come off the socket (decrypted when TLS), with what has been read but
 * not yet consumed. Used by the connection's thread only, except {@link #lastRead()}.
 * <p>
 * Socket failures surface as {@link java.io.UncheckedIOException} from {@link HelidonSocket#get()}; callers
 * decide what they mean in their state.
 */
final class RawInput {
    private static final byte[] EMPTY = new byte[0];

    private final HelidonSocket socket;
    /** The plain socket's channel, for large body reads ({@link BulkReads}); null over TLS or without access. */
    private final SocketChannel channel;
    private byte[] buf = EMPTY;
    private int pos;
    private int lim;
    private volatile long lastRead = System.nanoTime();

    RawInput(HelidonSocket socket) {
        this.socket = socket;
        this.channel = BulkReads.channel(socket);
    }

    /** Puts bytes read by someone else before this input existed in front of what comes from the socket. */
    void unread(byte[] bytes) {
        byte[] joined = Arrays.copyOf(bytes, bytes.length + lim - pos);
        System.arraycopy(buf, pos, joined, bytes.length, lim - pos);
        buf = joined;
        pos = 0;
        lim = joined.length;
    }

    /** @return bytes read and not consumed */
    int available() {
        return lim - pos;
    }

    /**
     * Reads from the socket when nothing is buffered (blocking).
     *
     * @return false at end of stream
     */
    boolean fill() {
        return fill(0);
    }

    /**
     * Reads from the socket when nothing is buffered (blocking), as much as one read gives when {@code expected}
     * bytes are known to be coming (a body of known length) and that is more than Helidon reads at once.
     *
     * @param expected bytes the caller knows are still to come (0: unknown)
     * @return false at end of stream
     */
    boolean fill(long expected) {
        if (pos < lim) {
            return true;
        }
        byte[] b = channel != null && expected > BulkReads.THRESHOLD
                ? BulkReads.read(channel, (int) Math.min(expected, BulkReads.SIZE))
                : socket.get();
        if (b == null) {
            return false;
        }
        buf = b;
        pos = 0;
        lim = b.length;
        lastRead = System.nanoTime();
        return true;
    }

    /**
     * Whether the input starts with {@code prefix}, reading (blocking) until that is decided: only as many bytes
     * as needed, and none at all once a byte differs. Consumes nothing.
     */
    boolean startsWith(byte[] prefix) {
        while (true) {
            int n = Math.min(available(), prefix.length);
            for (int i = 0; i < n; i++) {
                if (buf[pos + i] != prefix[i]) {
                    return false;
                }
            }
            if (n == prefix.length) {
                return true;
            }
            if (!readMore()) {
                return false;
            }
        }
    }

    /** Appends one more socket read to what is buffered. @return false at end of stream */
    private boolean readMore() {
        byte[] b = socket.get();
        if (b == null) {
            return false;
        }
        byte[] joined = Arrays.copyOfRange(buf, pos, lim + b.length);
        System.arraycopy(b, 0, joined, lim - pos, b.length);
        buf = joined;
        lim = joined.length;
        pos = 0;
        lastRead = System.nanoTime();
        return true;
    }

    /**
     * The buffered bytes before the first LF, when an LF is already buffered (nothing is read, nothing consumed).
     *
     * @param max how far to look
     * @return the line without its LF, or null when no complete line is buffered within {@code max} bytes
     */
    byte[] bufferedLine(int max) {
        int end = Math.min(lim, pos + max);
        for (int i = pos; i < end; i++) {
            if (buf[i] == '\n') {
                return Arrays.copyOfRange(buf, pos, i);
            }
        }
        return null;
    }

    /** @return the next byte; {@link #available()} must be positive */
    byte read() {
        return buf[pos++];
    }

    /**
     * Consumes up to {@code max} buffered bytes (the socket's own array when it goes whole, else a copy).
     * {@link #available()} must be positive.
     */
    byte[] take(long max) {
        int n = (int) Math.min(max, lim - pos);
        if (pos == 0 && n == buf.length) {
            pos = lim;
            return buf;
        }
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** Copies up to {@code max} buffered bytes into {@code out}. @return how many */
    int take(Bytes out, long max) {
        int n = (int) Math.min(max, lim - pos);
        out.append(buf, pos, n);
        pos += n;
        return n;
    }

    /** Drops what is buffered. @return how many bytes */
    int discard() {
        int n = lim - pos;
        pos = lim;
        return n;
    }

    /** @return {@link System#nanoTime()} of the last successful read from the socket */
    long lastRead() {
        return lastRead;
    }
}
