package io.fngate.edge;

import java.lang.reflect.Field;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.http.http2.Http2Stream;
import io.helidon.webserver.http.ServerResponse;

/**
 * The writer under every edge connection (beneath {@link Http10Writer}). Over HTTP/2 it lets a response's HEADERS
 * frame wait for the DATA frame that its stream's thread writes next, so that both leave in one socket write.
 * Helidon 4.5.0 writes a whole response ({@code ServerResponse.send(byte[])}) as two writes, one per frame, and
 * on a loopback or LAN link each write is a segment the client is woken for: with one stream per connection that
 * second wake-up was a fifth of the gateway's CPU per request.
 * <p>
 * A frame is held only while {@link #send} runs on the same thread, only when it is a HEADERS frame that does not
 * end its stream, and only when the stream's flow-control window already takes the whole entity (so the DATA
 * write cannot wait for a WINDOW_UPDATE, which a client might send only after it saw the headers). Any other
 * write on the connection first sends what is held, in front of itself: frames leave in the order Helidon
 * encoded them, which HPACK's shared table requires. If the DATA write never comes (the stream was reset), the
 * held frame is sent when {@link #send} ends.
 * <p>
 * Not responsible for framing or flow control (Helidon's); for HTTP/1.x it passes every write unchanged.
 */
final class HeadersHold implements DataWriter {
    private static final System.Logger LOG = System.getLogger(HeadersHold.class.getName());
    /** Per thread: {@link #ARMED} while {@link #send} runs, then the writer that holds a frame for it. */
    private static final ThreadLocal<Object> HOLD = new ThreadLocal<>();
    private static final Object ARMED = new Object();
    private static final Field STREAM = streamField();
    private static final int TYPE_HEADERS = 0x1;
    private static final int FLAG_END_STREAM = 0x1;

    private final DataWriter out;
    // a lock, not synchronized: writes block on the socket, and a monitor would pin a virtual thread on JDK 21
    private final ReentrantLock lock = new ReentrantLock();
    private BufferData held; // guarded by lock
    private Thread holder; // guarded by lock

    HeadersHold(DataWriter out) {
        this.out = out;
    }

    private static Field streamField() {
        try {
            Field f = Class.forName("io.helidon.webserver.http2.Http2ServerResponse").getDeclaredField("stream");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "HTTP/2 responses are written frame by frame (" + e + ")");
            return null;
        }
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

    /** Runs write (which writes one response's frames on this thread) with its HEADERS frame held for its DATA. */
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
    public void write(BufferData... buffers) {
        for (BufferData b : buffers) {
            write(b);
        }
    }

    @Override
    public void write(BufferData buffer) {
        lock.lock();
        try {
            out.write(withHeld(buffer));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeNow(BufferData... buffers) {
        for (BufferData b : buffers) {
            writeNow(b);
        }
    }

    @Override
    public void writeNow(BufferData buffer) {
        lock.lock();
        try {
            if (held == null && HOLD.get() == ARMED && opensStream(buffer)) {
                held = BufferData.create(buffer.readBytes()); // Helidon may reuse what it handed in
                holder = Thread.currentThread();
                HOLD.set(this);
                return;
            }
            out.writeNow(withHeld(buffer));
        } finally {
            lock.unlock();
        }
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

    /** Sends the frame the calling thread still holds, if it does. */
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

    /** buffer, behind the held frame if there is one (which is then no longer held). */
    private BufferData withHeld(BufferData buffer) {
        BufferData h = held;
        if (h == null) {
            return buffer;
        }
        held = null;
        holder = null;
        return buffer.available() == 0 ? h : BufferData.create(h, buffer);
    }

    /** A HEADERS frame (RFC 9113 section 4.1: length 3 bytes, type, flags) that leaves its stream open. */
    private static boolean opensStream(BufferData frame) {
        return frame.available() > 9 && frame.get(3) == TYPE_HEADERS && (frame.get(4) & FLAG_END_STREAM) == 0;
    }
}
