package io.fngate.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.helidon.common.socket.HelidonSocket;

/**
 * Large reads for request bodies on plain connections. Helidon's socket reads at most 8 KiB at a time (a size it
 * fixes), so a 1 MiB upload took 128 reads and as many parks, each chunk then handed on and written upstream on
 * its own. When a body of known length has more than that to come, {@link RawInput} reads the socket's channel
 * directly, up to {@value #SIZE} bytes at once.
 * <p>
 * The channel is Helidon's ({@code NioSocket}'s) and reached by reflection, which needs the fngate script's
 * {@code --add-opens io.helidon.common.socket/io.helidon.common.socket=io.fngate.edge}; without it, or over TLS
 * (where the bytes must go through the SSL engine), reads stay Helidon's. Reading the channel beside Helidon is
 * safe because every read of an edge connection goes through {@link RawInput}: Helidon's own buffer is always
 * empty when this reads.
 * <p>
 * The reads go through the edge's few pooled {@link DirectBuffers} (kernel to direct buffer, then one copy into the
 * array handed on), never one per connection: an idle connection holds none.
 */
final class BulkReads {
    /** Bytes one bulk read asks for. */
    static final int SIZE = 64 * 1024;
    /** Below this many bytes still to come, Helidon's 8 KiB read is as good. */
    static final int THRESHOLD = 8 * 1024;
    private static final System.Logger LOG = System.getLogger(BulkReads.class.getName());
    private static final Field NIO_DELEGATE = HelidonFields.find("io.helidon.common.socket.NioSocket", "delegate",
            LOG, System.Logger.Level.DEBUG, "request bodies are read 8 KiB at a time (Helidon's socket channel is"
                    + " not accessible)");

    private BulkReads() {
    }

    /** Whether Helidon's socket channel is accessible. */
    static boolean accessible() {
        return NIO_DELEGATE != null;
    }

    /**
     * @param socket a connection's socket
     * @return its blocking channel when it is a plain one and accessible, else null
     */
    static SocketChannel channel(HelidonSocket socket) {
        if (NIO_DELEGATE == null || socket.getClass() != NIO_DELEGATE.getDeclaringClass()) {
            return null;
        }
        try {
            SocketChannel channel = (SocketChannel) NIO_DELEGATE.get(socket);
            return channel != null && channel.isBlocking() ? channel : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads once (blocking until at least one byte comes).
     *
     * @param channel a channel from {@link #channel(HelidonSocket)}
     * @param max     at most this many bytes
     * @return the bytes read, or null at the end of the stream
     * @throws UncheckedIOException as Helidon's own read would
     */
    static byte[] read(SocketChannel channel, int max) {
        ByteBuffer b = DirectBuffers.take();
        try {
            b.clear().limit(Math.min(max, SIZE));
            int n = channel.read(b);
            if (n < 0) {
                return null;
            }
            byte[] out = new byte[n];
            b.flip().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DirectBuffers.give(b);
        }
    }
}
