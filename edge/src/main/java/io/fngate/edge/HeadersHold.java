package io.fngate.edge;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.http.http2.Http2Stream;
import io.helidon.webserver.http.ServerResponse;

/**
 * The writer under every edge connection (beneath {@link Http10Writer}). It lets a response's head wait for the
 * first bytes of its body, so that both leave in one socket write. Helidon 4.5.0 writes them apart: a whole
 * HTTP/2 response ({@code ServerResponse.send(byte[])}) as a HEADERS and a DATA frame, a streamed response (both
 * protocols) as its head and then its first chunk or frame. On a loopback or LAN link each write is a segment the
 * client is woken for (with one h2c stream per connection, one of eight syscalls per request).
 * <p>
 * A write is held only on request: inside {@link #holding} on the same thread (see {@link #send} and
 * {@link #headWithFirstWrite}), the first write made is held, and the next write of that thread carries it.
 * Over HTTP/2 a hold is asked for only when the stream's flow-control window already takes the body's bytes, so
 * that the DATA write cannot wait for a WINDOW_UPDATE that a client might send only after it saw the headers.
 * Any other write on the connection first sends what is held, in front of itself: frames leave in the order
 * Helidon encoded them, which HPACK's shared table requires. Whatever is still held when {@link #holding} ends
 * (no body write came: the stream was reset) is sent then.
 * <p>
 * Not responsible for framing or flow control (Helidon's); without a hold it passes every write unchanged.
 */
final class HeadersHold extends OneBufferWriter {
    private static final System.Logger LOG = System.getLogger(HeadersHold.class.getName());
    /** Per thread: {@link #ARMED} while {@link #holding} runs, then the writer that holds a write for it. */
    private static final ThreadLocal<Object> HOLD = new ThreadLocal<>();
    private static final Object ARMED = new Object();
    private static final Field STREAM = HelidonFields.find("io.helidon.webserver.http2.Http2ServerResponse",
            "stream", LOG, System.Logger.Level.DEBUG, "HTTP/2 responses are written frame by frame");

    private final DataWriter out;
    // a lock, not synchronized: writes block on the socket, and a monitor would pin a virtual thread on JDK 21
    private final ReentrantLock lock = new ReentrantLock();
    private BufferData held; // guarded by lock
    private Thread holder; // guarded by lock

    HeadersHold(DataWriter out) {
        this.out = out;
    }

    /**
     * Sends a whole entity; over HTTP/2, with a window that takes it, its HEADERS and first DATA frame leave in
     * one write.
     */
    static void send(ServerResponse res, byte[] entity) {
        if (entity.length == 0 || !windowTakes(res, entity.length)) {
            res.send(entity);
        } else {
            holding(() -> res.send(entity));
        }
    }

    /**
     * Runs write (which writes one response's head and body bytes on this thread) with the first socket write it
     * makes held for the next; what is still held when it returns is sent then.
     */
    static void holding(Runnable write) {
        HOLD.set(ARMED);
        try {
            write.run();
        } finally {
            Object hold = HOLD.get();
            HOLD.remove();
            if (hold instanceof HeadersHold writer) {
                writer.release();
            }
        }
    }

    /**
     * out, whose first write leaves in one socket write with the response head that Helidon writes just before
     * it (HTTP/1.1: head and first chunk; HTTP/2: HEADERS and DATA, when the window takes the write).
     */
    static OutputStream headWithFirstWrite(ServerResponse res, OutputStream out) {
        return new OutputStream() {
            // Helidon keeps a body's first write (it may yet become a Content-Length body) and writes head and
            // bytes at the next write or flush: both calls run with the head held, until the first flush
            private boolean first = true;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (first && len > 0 && (!http2(res) || windowTakes(res, len))) {
                    held(() -> out.write(b, off, len));
                } else {
                    first = false;
                    out.write(b, off, len);
                }
            }

            @Override
            public void flush() throws IOException {
                if (first) {
                    first = false;
                    held(out::flush);
                } else {
                    out.flush();
                }
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    /** A write of an output stream. */
    private interface Write {
        void run() throws IOException;
    }

    private static void held(Write write) throws IOException {
        try {
            holding(() -> {
                try {
                    write.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean http2(ServerResponse res) {
        return res.getClass().getName().equals("io.helidon.webserver.http2.Http2ServerResponse");
    }

    /** Whether res is an HTTP/2 response whose stream and connection windows take length bytes now. */
    private static boolean windowTakes(ServerResponse res, int length) {
        if (STREAM == null || !STREAM.getDeclaringClass().isInstance(res)) {
            return false;
        }
        try {
            return STREAM.get(res) instanceof Http2Stream stream
                    && stream.flowControl().outbound().getRemainingWindowSize() >= length;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void write(BufferData buffer) {
        pass(buffer, false);
    }

    @Override
    public void writeNow(BufferData buffer) {
        pass(buffer, true);
    }

    private void pass(BufferData buffer, boolean now) {
        lock.lock();
        try {
            if (!hold(buffer)) {
                BufferData b = withHeld(buffer);
                if (now) {
                    out.writeNow(b);
                } else {
                    out.write(b);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Holds buffer when it is the first write of a thread that asked for a hold; with the lock held. */
    private boolean hold(BufferData buffer) {
        if (held != null || HOLD.get() != ARMED) {
            return false;
        }
        held = BufferData.create(buffer.readBytes()); // Helidon may reuse what it handed in
        holder = Thread.currentThread();
        HOLD.set(this);
        return true;
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            if (held != null) {
                out.writeNow(withHeld(BufferData.empty()));
            }
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Sends what the calling thread still holds, if it does. */
    void release() {
        lock.lock();
        try {
            if (held != null && holder == Thread.currentThread()) {
                out.writeNow(withHeld(BufferData.empty()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** buffer, behind the held write if there is one (which is then no longer held). */
    private BufferData withHeld(BufferData buffer) {
        BufferData h = held;
        if (h == null) {
            return buffer;
        }
        held = null;
        holder = null;
        return buffer.available() == 0 ? h : BufferData.create(h, buffer);
    }
}
