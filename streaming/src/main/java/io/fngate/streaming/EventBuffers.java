package io.fngate.streaming;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Relay buffers shared by event streams: a stream borrows one only between an event's arrival and its write
 * (see {@link BodyRelay}), so thousands of quiet streams need a handful. Buffers beyond the pool's capacity are
 * left to the collector. Not a general-purpose pool: one size is kept, other sizes are allocated each time.
 * <p>
 * A buffer goes back once the client stream's {@code write} returned, so that stream must not keep the array:
 * Helidon's HTTP/1.1 and HTTP/2 response streams copy a response's first write and write the others before
 * they return, and the edge's HTTP/1.0 writer writes through.
 */
final class EventBuffers {
    /** The size kept; the relay's event buffer. */
    static final int SIZE = 4 * 1024;
    private static final ArrayBlockingQueue<byte[]> POOL = new ArrayBlockingQueue<>(64);

    private EventBuffers() {
    }

    static byte[] take(int size) {
        if (size != SIZE) {
            return new byte[size];
        }
        byte[] b = POOL.poll();
        return b != null ? b : new byte[SIZE];
    }

    /** Returns {@code buf} unless it is the relay's own (or none was taken). */
    static void give(byte[] buf, byte[] own) {
        if (buf != null && buf != own && buf.length == SIZE) {
            POOL.offer(buf);
        }
    }
}
