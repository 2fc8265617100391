package io.fngate.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;

/**
 * The socket writer of a plain edge connection: each write leaves in one system call of up to
 * {@link DirectBuffers#CAPACITY} bytes. Helidon 4.5.0's socket copies every write through an 8 KiB buffer of its
 * own and writes that, so a 1 MiB response took 128 writes (and a 64 KiB relayed chunk eight), each a system call
 * and, on loopback, a wake-up of the reader; an HTTP/2 DATA frame of 16 KiB took two.
 * <p>
 * Used only in place of Helidon's direct writer ({@code SocketWriterDirect}, what a listener without a write queue
 * gets) on a plain socket whose channel {@link BulkReads} can reach; over TLS (the bytes go through the SSL
 * engine) or with Helidon's asynchronous writers, Helidon's writer stays. The bytes and their order are the same:
 * only how many leave per system call changes. The array forms write all their buffers together. Writes are not
 * serialised here; callers do that ({@link HeadersHold} holds a lock around every write).
 * <p>
 * A write borrows a pooled direct buffer ({@link DirectBuffers}), or, when all are in use, a heap buffer the size
 * of the write: a client that reads slowly holds one only while its write blocks.
 */
final class BulkWrites implements DataWriter {
    private final SocketChannel channel;
    private final DataWriter helidon;

    private BulkWrites(SocketChannel channel, DataWriter helidon) {
        this.channel = channel;
        this.helidon = helidon;
    }

    /**
     * @param helidon the connection's writer as Helidon made it
     * @param socket  the connection's socket
     * @return a bulk writer for that socket's channel when Helidon's writer writes directly to a plain socket,
     *         else {@code helidon} itself
     */
    static DataWriter over(DataWriter helidon, HelidonSocket socket) {
        if (!helidon.getClass().getName().equals("io.helidon.common.socket.SocketWriterDirect")) {
            return helidon;
        }
        SocketChannel channel = BulkReads.channel(socket);
        return channel == null ? helidon : new BulkWrites(channel, helidon);
    }

    @Override
    public void write(BufferData... buffers) {
        writeAll(buffers);
    }

    @Override
    public void write(BufferData buffer) {
        writeAll(buffer);
    }

    @Override
    public void writeNow(BufferData... buffers) {
        writeAll(buffers);
    }

    @Override
    public void writeNow(BufferData buffer) {
        writeAll(buffer);
    }

    @Override
    public void flush() {
        helidon.flush();
    }

    @Override
    public void close() {
        helidon.close();
    }

    private void writeAll(BufferData... buffers) {
        ByteBuffer out = DirectBuffers.poll();
        if (out == null) {
            long total = 0;
            for (BufferData b : buffers) {
                total += b.available();
            }
            out = ByteBuffer.allocate((int) Math.max(1, Math.min(DirectBuffers.CAPACITY, total)));
        }
        try {
            for (BufferData b : buffers) {
                while (b.available() > 0) {
                    if (!out.hasRemaining()) {
                        drain(out);
                    }
                    if (b.writeTo(out, Math.min(b.available(), out.remaining())) <= 0) {
                        throw new IllegalStateException("buffer data wrote nothing with " + b.available() + " left");
                    }
                }
            }
            drain(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // as Helidon's socket reports a failed write
        } finally {
            DirectBuffers.give(out);
        }
    }

    /** Writes what out holds; a blocking channel returns only when all of it is written. */
    private void drain(ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }
}
