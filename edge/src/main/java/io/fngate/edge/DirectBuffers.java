package io.fngate.edge;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A few direct buffers shared by the edge's large socket reads ({@link BulkReads}) and writes
 * ({@link BulkWrites}): the kernel copies straight from or into them, where a heap array costs the JDK a copy
 * through a temporary direct buffer of its own. A buffer is borrowed for one read or write and given back, so an
 * idle connection holds none. When more are borrowed at once than are kept, the extra ones are dropped on return.
 * Not a general pool: one size.
 */
final class DirectBuffers {
    /** Capacity of every buffer: 64 KiB of body plus room for the framing written with it (chunk, frame header). */
    static final int CAPACITY = 64 * 1024 + 1024;
    private static final ArrayBlockingQueue<ByteBuffer> POOL = new ArrayBlockingQueue<>(32);

    private DirectBuffers() {
    }

    /** A kept buffer, cleared, or null when none is free. */
    static ByteBuffer poll() {
        ByteBuffer b = POOL.poll();
        return b == null ? null : b.clear();
    }

    /** A kept buffer, cleared, or a new direct one. */
    static ByteBuffer take() {
        ByteBuffer b = poll();
        return b != null ? b : ByteBuffer.allocateDirect(CAPACITY);
    }

    /** Gives back a buffer from {@link #poll} or {@link #take} (heap buffers are ignored). */
    static void give(ByteBuffer b) {
        if (b.isDirect() && b.capacity() == CAPACITY) {
            POOL.offer(b);
        }
    }
}
