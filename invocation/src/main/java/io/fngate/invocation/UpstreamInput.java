package io.fngate.invocation;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered reader of the upstream socket without the per-call lock of {@link java.io.BufferedInputStream}:
 * response heads and chunk-size lines are parsed a byte at a time, and only one thread reads a connection at
 * a time (the exchange that holds it). Large reads bypass the buffer once it is empty.
 */
final class UpstreamInput extends InputStream {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    UpstreamInput(InputStream in, int size) {
        this.in = in;
        this.buf = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == limit) {
            if (len >= buf.length) {
                return in.read(b, off, len); // nothing buffered: no point copying twice
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        int buffered = limit - pos;
        return buffered > 0 ? buffered : in.available();
    }

    /** Bytes read from the socket and not yet consumed. */
    int buffered() {
        return limit - pos;
    }

    /** Reads once into the empty buffer; a read timeout leaves it empty and usable. */
    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
