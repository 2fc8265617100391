package io.fngate.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;

/**
 * The writer Helidon's HTTP/1.1 connection writes responses through. It passes every byte unchanged, except for
 * a response to an HTTP/1.0 request, which {@link ResponseListener} arms before its head is written:
 * <ul>
 *     <li>{@link Body#DECHUNK}: the head passes, the chunked body is decoded to its data (HTTP/1.0 has no chunked
 *     coding: the body is delimited by the connection's close instead), trailers are dropped;</li>
 *     <li>{@link Body#NONE}: the head passes, anything after it is dropped (a HEAD response: Helidon 4.5.0 writes
 *     an entity there if the handler gave one, which would break the framing of a kept-alive connection).</li>
 * </ul>
 * Written by the connection's thread only; synchronised anyway, as Helidon may write from a handler thread.
 */
final class Http10Writer extends OneBufferWriter {
    /** What happens to the body of the next response. */
    enum Body { PASS, DECHUNK, NONE }

    private enum State { DIRECT, HEAD, SIZE, DATA, DATA_CRLF, TRAILER, DROP }

    private final DataWriter out;
    private final Bytes line = new Bytes(32);
    private State state = State.DIRECT;
    private Body body = Body.PASS;
    private int headEnd; // how many bytes of CR LF CR LF have been seen
    private long left;

    Http10Writer(DataWriter out) {
        this.out = out;
    }

    /** The next bytes written are the head of a response whose body must be treated as said. */
    synchronized void arm(Body body) {
        this.body = body;
        this.state = body == Body.PASS ? State.DIRECT : State.HEAD;
        this.headEnd = 0;
        this.line.clear();
    }

    @Override
    public void write(BufferData buffer) {
        BufferData b = transform(buffer);
        if (b != null) {
            out.write(b);
        }
    }

    @Override
    public void writeNow(BufferData buffer) {
        BufferData b = transform(buffer);
        if (b != null) {
            out.writeNow(b);
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** @return what to write (the same buffer when nothing changes), or null when nothing is left */
    private synchronized BufferData transform(BufferData buffer) {
        if (state == State.DIRECT) {
            return buffer;
        }
        byte[] in = buffer.readBytes();
        Bytes res = new Bytes(in.length);
        int i = 0;
        while (i < in.length) {
            byte b = in[i];
            switch (state) {
            case DIRECT -> {
                res.append(in, i, in.length - i);
                i = in.length;
            }
            case HEAD -> {
                res.append(b);
                i++;
                headEnd = (b == '\r' && headEnd % 2 == 0) || (b == '\n' && headEnd % 2 == 1) ? headEnd + 1
                        : b == '\r' ? 1 : 0;
                if (headEnd == 4) {
                    state = body == Body.DECHUNK ? State.SIZE : State.DROP;
                }
            }
            case SIZE, TRAILER -> {
                i++;
                if (b != '\n') {
                    line.append(b);
                    continue;
                }
                String l = line.text(0, line.size()).strip();
                line.clear();
                if (state == State.TRAILER) {
                    state = l.isEmpty() ? State.DROP : State.TRAILER;
                } else {
                    int semicolon = l.indexOf(';');
                    left = Long.parseLong(semicolon < 0 ? l : l.substring(0, semicolon).strip(), 16);
                    state = left == 0 ? State.TRAILER : State.DATA;
                }
            }
            case DATA -> {
                int n = (int) Math.min(left, in.length - i);
                res.append(in, i, n);
                i += n;
                left -= n;
                if (left == 0) {
                    state = State.DATA_CRLF;
                    left = 2;
                }
            }
            case DATA_CRLF -> {
                i++;
                if (--left == 0) {
                    state = State.SIZE;
                }
            }
            default -> i = in.length; // DROP: nothing may follow
            }
        }
        return res.size() == 0 ? null : BufferData.create(res.toArray());
    }
}
