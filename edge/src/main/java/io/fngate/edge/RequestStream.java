package io.fngate.edge;

import java.io.UncheckedIOException;
import java.util.function.Supplier;

import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ServerConnectionException;

/**
 * What Helidon's connection reads: the client's bytes, handed over one request at a time. A head is given only
 * once {@link HeadReader} and {@link HeadParser} accepted it, and then in one piece; a body exactly as long as its
 * framing says (Content-Length bytes, or the chunked coding checked by {@link ChunkedBody}); so Helidon never
 * holds bytes of a next request, and the edge always knows where the next head starts.
 * <pre>
 *   HEAD ──head──► FIXED (Content-Length) ──last byte──► HEAD
 *     │       └──► CHUNKED ──last chunk and trailers──► HEAD
 *     │ Helidon reads a head while the response said close, or with a body left unread ──► END (end of stream)
 *   PASS: HTTP/2 frames, unchanged (prior knowledge, ALPN h2, after Upgrade: h2c)
 * </pre>
 * Used by the connection's thread; the flags the response listener sets are volatile.
 */
final class RequestStream implements Supplier<byte[]> {
    private enum Mode { HEAD, FIXED, CHUNKED, PASS, END }

    private final EdgeConnection connection;
    private final RawInput in;
    private final HeadReader reader;
    private final EdgeSettings settings;
    private Mode mode = Mode.HEAD;
    private long remaining;
    private ChunkedBody chunked;
    private volatile RequestHead current;
    private volatile boolean closing;
    private volatile int served;

    RequestStream(EdgeConnection connection, RawInput in, EdgeSettings settings) {
        this.connection = connection;
        this.in = in;
        this.settings = settings;
        this.reader = new HeadReader(settings);
    }

    /** From now on the bytes are HTTP/2 frames. */
    void passThrough() {
        mode = Mode.PASS;
    }

    /** @return the request being served (or last served), null before the first */
    RequestHead current() {
        return current;
    }

    /** @return whether the connection ends after the current response */
    boolean closing() {
        return closing;
    }

    /** The current response is the connection's last. */
    void closeAfterResponse() {
        closing = true;
    }

    /** @return how many request heads were accepted */
    int served() {
        return served;
    }

    @Override
    public byte[] get() {
        if (mode == Mode.PASS) {
            return pass();
        }
        if (mode == Mode.END) {
            return null;
        }
        if (connection.helidonReadsHead()) {
            // Helidon is done with the request and reads the next one: end it here when the response closed the
            // connection (RFC 9112 9.6: nothing after it is served), or when part of the body was left unread
            if (closing || mode != Mode.HEAD) {
                mode = Mode.END;
                return null;
            }
            return nextHead();
        }
        return switch (mode) {
            case FIXED -> fixed();
            case CHUNKED -> chunked();
            default -> {
                mode = Mode.END; // Helidon wants a body the head did not announce: cannot happen, never guess
                yield null;
            }
        };
    }

    private byte[] nextHead() {
        connection.awaitRequest();
        RequestHead head;
        try {
            byte[] raw = reader.read(in, connection);
            if (raw == null) {
                mode = Mode.END;
                return null;
            }
            connection.headComplete();
            head = HeadParser.parse(raw, connection.localAuthority());
        } catch (Rejected r) {
            mode = Mode.END;
            throw connection.reject(r);
        } catch (UncheckedIOException | ServerConnectionException e) {
            mode = Mode.END;
            throw new CloseConnectionException("Connection failed while reading a request head", e);
        }
        current = head;
        served++;
        // the previous response is written completely by now: whatever it needed, this one starts unchanged
        connection.writer().arm(Http10Writer.Body.PASS);
        if (!head.keepAlive()) {
            closing = true;
        }
        if (head.chunked()) {
            // a first chunk-size line that came with the head is checked before the head goes on: a broken one is
            // answered here and the request never reaches a handler (nor, behind it, a function). A broken line
            // that comes later fails the body as it streams: the function then sees a body cut off, never whole.
            byte[] first = in.bufferedLine(4097);
            if (first != null) {
                try {
                    ChunkedBody.checkFirstLine(first, settings);
                } catch (MalformedBodyException e) {
                    mode = Mode.END;
                    throw connection.reject(new Rejected(EdgeProblem.MALFORMED_BODY, e.getMessage(), head.isHead(),
                            head.method(), head.path()));
                }
            }
            chunked = new ChunkedBody(settings);
            mode = Mode.CHUNKED;
        } else if (head.contentLength() > 0) {
            remaining = head.contentLength();
            mode = Mode.FIXED;
        }
        return head.bytes();
    }

    private byte[] fixed() {
        try {
            if (!in.fill(remaining)) {
                mode = Mode.END;
                return null;
            }
            byte[] b = in.take(remaining);
            remaining -= b.length;
            if (remaining == 0) {
                mode = Mode.HEAD;
            }
            return b;
        } catch (UncheckedIOException e) {
            mode = Mode.END;
            throw new ServerConnectionException("Failed to get data from socket", e);
        }
    }

    private byte[] chunked() {
        try {
            byte[] b = chunked.next(in);
            if (b == null) {
                mode = Mode.END;
            } else if (chunked.done()) {
                chunked = null;
                mode = Mode.HEAD;
            }
            return b;
        } catch (MalformedBodyException e) {
            mode = Mode.END;
            closing = true; // the request boundary is lost
            throw e;
        } catch (UncheckedIOException e) {
            mode = Mode.END;
            throw new ServerConnectionException("Failed to get data from socket", e);
        }
    }

    private byte[] pass() {
        try {
            return in.fill() ? in.take(Long.MAX_VALUE) : null;
        } catch (UncheckedIOException e) {
            throw new ServerConnectionException("Failed to get data from socket", e);
        }
    }
}
