package io.fngate.invocation;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes a chunked upstream body (RFC 9112 section 7.1); chunk extensions and trailers are discarded.
 * <p>
 * Resumable after a read timeout: the size-line parse keeps its state in fields, and a data read that
 * times out has consumed nothing. Ends with -1 only after the terminating zero-size chunk; a connection
 * that closes before it is a truncated body and reads throw {@link EOFException}.
 */
final class ChunkedInputStream extends InputStream {
    private enum State { SIZE, DATA, DATA_CRLF, TRAILER, DONE }

    private final InputStream in;
    private State state = State.SIZE;
    private long remaining;
    private final StringBuilder line = new StringBuilder();

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            switch (state) {
            case DONE:
                return -1;
            case SIZE:
                String size = readLine();
                int semi = size.indexOf(';');
                String hex = (semi >= 0 ? size.substring(0, semi) : size).trim();
                try {
                    remaining = Long.parseUnsignedLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new UpstreamProtocolException("invalid chunk size");
                }
                if (remaining < 0 || hex.isEmpty()) {
                    throw new UpstreamProtocolException("invalid chunk size");
                }
                state = remaining == 0 ? State.TRAILER : State.DATA;
                break;
            case DATA:
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("upstream closed inside a chunk");
                }
                remaining -= n;
                if (remaining == 0) {
                    state = State.DATA_CRLF;
                }
                return n;
            case DATA_CRLF:
                if (!readLine().isEmpty()) {
                    throw new UpstreamProtocolException("missing CRLF after chunk data");
                }
                state = State.SIZE;
                break;
            case TRAILER:
                if (readLine().isEmpty()) {
                    state = State.DONE;
                }
                break;
            default:
                throw new IllegalStateException(state.name());
            }
        }
    }

    @Override
    public int available() throws IOException {
        if (state == State.DATA) {
            return (int) Math.min(remaining, in.available());
        }
        return 0;
    }

    /** Whether the terminating chunk and trailers were read (the connection may be reused). */
    boolean complete() {
        return state == State.DONE;
    }

    private String readLine() throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("upstream closed inside chunk framing");
            }
            if (c == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    end--;
                }
                String result = line.substring(0, end);
                line.setLength(0);
                return result;
            }
            if (line.length() > 8192) {
                throw new UpstreamProtocolException("chunk line too long");
            }
            line.append((char) c);
        }
    }
}
