package io.fngate.edge;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The smallest HTTP/2 client that can speak to the edge by prior knowledge (cleartext): the preface, GETs with
 * literal HPACK headers (no Huffman, no table), frames read until the stream ends. Enough to prove that h2c by
 * prior knowledge reaches the handler and that its connection is timed as HTTP/2, not as HTTP/1.
 */
final class H2Client implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int SETTINGS = 4;
    private static final int GOAWAY = 7;

    /** @param status the first byte of the response's header block (0x88 is the static entry ":status 200") */
    record Reply(int status, String body) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextStream = 1;

    H2Client(int port) throws IOException {
        this(port, -1);
    }

    /** @param initialWindow SETTINGS_INITIAL_WINDOW_SIZE to announce (streams' send windows); -1: none */
    H2Client(int port, int initialWindow) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(PREFACE);
        frame(SETTINGS, 0, 0, initialWindow < 0 ? new byte[0]
                : java.nio.ByteBuffer.allocate(6).putShort((short) 4).putInt(initialWindow).array());
    }

    /** A frame as read. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        boolean endsStream() {
            return (type == DATA || type == HEADERS) && (flags & 1) != 0;
        }
    }

    /** Reads the next frame other than SETTINGS (those are acknowledged) within the socket timeout. */
    Frame next() throws IOException {
        while (true) {
            int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
            Frame f = new Frame(in.readUnsignedByte(), in.readUnsignedByte(), in.readInt() & 0x7fffffff,
                    in.readNBytes(length));
            if (f.type != SETTINGS) {
                return f;
            }
            if ((f.flags & 1) == 0) {
                frame(SETTINGS, 1, 0, new byte[0]); // ACK
            }
        }
    }

    /** Reads the next frame of stream (frames of others and of the connection are skipped). */
    Frame next(int stream) throws IOException {
        Frame f = next();
        while (f.stream != stream) {
            f = next();
        }
        return f;
    }

    /** Opens a stream's (or, with 0, the connection's) receive window by increment bytes. */
    void windowUpdate(int stream, int increment) throws IOException {
        frame(8, 0, stream, java.nio.ByteBuffer.allocate(4).putInt(increment).array());
    }

    /** The client's own port (the server's writes to it carry it as their remote port). */
    int localPort() {
        return socket.getLocalPort();
    }

    Reply get(String path, String authority) {
        return finish(start(path, authority), false);
    }

    /** Sends a GET and returns its stream id at once, without reading anything. */
    int start(String path, String authority) {
        try {
            int stream = nextStream;
            nextStream += 2;
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(0x82); // :method GET
            block.write(0x86); // :scheme http
            literal(block, 4, path); // :path
            literal(block, 1, authority); // :authority
            frame(HEADERS, 0x5, stream, block.toByteArray()); // END_STREAM | END_HEADERS
            return stream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last GOAWAY read: last stream id and error code; null when none came. */
    int[] goAway;

    /**
     * Reads frames until the stream ends.
     *
     * @param goAwayAllowed whether a GOAWAY may come first (it is kept in {@link #goAway}); else it is an error
     */
    Reply finish(int stream, boolean goAwayAllowed) {
        try {
            int status = -1;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int id = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (type == SETTINGS && (flags & 1) == 0) {
                    frame(SETTINGS, 1, 0, new byte[0]); // ACK
                } else if (type == GOAWAY) {
                    if (!goAwayAllowed) {
                        throw new IllegalStateException("GOAWAY " + new String(payload, StandardCharsets.ISO_8859_1));
                    }
                    java.nio.ByteBuffer p = java.nio.ByteBuffer.wrap(payload);
                    goAway = new int[] {p.getInt() & 0x7fffffff, p.getInt()};
                } else if (id == stream && type == HEADERS) {
                    status = payload[(flags & 0x20) != 0 ? 5 : 0] & 0xff; // skip PRIORITY fields if present
                } else if (id == stream && type == DATA) {
                    body.write(payload);
                }
                if (id == stream && (type == DATA || type == HEADERS) && (flags & 1) != 0) {
                    return new Reply(status, body.toString(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server closes the connection within {@code time} (frames it sends meanwhile are skipped). */
    boolean closedWithin(Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (in.read() < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        block.write(nameIndex); // literal without indexing, indexed name (4-bit prefix)
        block.write(v.length); // no Huffman; values here are shorter than 127
        block.writeBytes(v);
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = {(byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8),
                (byte) stream};
        out.write(header);
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed
        }
    }
}
