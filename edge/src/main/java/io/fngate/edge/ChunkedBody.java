package io.fngate.edge;

/**
 * Checks the chunked framing of one request body as it streams from the client to Helidon, and passes it on in
 * the one form Helidon 4.5.0 reads correctly: {@code <hex size> CRLF data CRLF}, then {@code 0 CRLF CRLF}.
 * Chunk extensions are dropped (RFC 9112 7.1.1: a recipient ignores unknown ones; Helidon would take them as a
 * bad size) and so are trailer fields (Helidon cannot read a trailer section), after they have been checked like
 * header fields. Anything else is a {@link MalformedBodyException}: a size that is not hex or over 2^31-1, a
 * bare LF, data not followed by CRLF.
 */
final class ChunkedBody {
    private static final int MAX_SIZE_LINE = 4096;
    private static final int BATCH = 64 * 1024;
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private enum State { SIZE, DATA, DATA_CR, DATA_LF, TRAILER, DONE }

    private final int maxTrailerBytes;
    private final int maxTrailerCount;
    private final Bytes line = new Bytes(64);
    private State state = State.SIZE;
    private long dataLeft;
    private int trailerBytes;
    private int trailerCount;

    ChunkedBody(EdgeSettings settings) {
        this.maxTrailerBytes = settings.maxHeaderBytes();
        this.maxTrailerCount = settings.maxHeaderCount();
    }

    /**
     * Checks a body's first chunk-size line (without its LF), as it came in the same read as the head.
     *
     * @throws MalformedBodyException when it is broken
     */
    static void checkFirstLine(byte[] line, EdgeSettings settings) {
        ChunkedBody probe = new ChunkedBody(settings);
        Bytes ignored = new Bytes(16);
        for (byte b : line) {
            probe.line(b, ignored);
        }
        probe.line((byte) '\n', ignored);
    }

    boolean done() {
        return state == State.DONE;
    }

    /**
     * The next part of the body for Helidon, reading (blocking) until there is at least one byte.
     *
     * @return bytes, or null when the client closed the connection before the body ended
     * @throws MalformedBodyException when the framing is broken
     */
    byte[] next(RawInput in) {
        Bytes out = new Bytes(256);
        while (state != State.DONE && out.size() < BATCH) {
            if (in.available() == 0) {
                if (out.size() > 0) {
                    break; // hand over what is here rather than wait for the client
                }
                if (!in.fill()) {
                    return null;
                }
            }
            switch (state) {
            case SIZE, TRAILER -> line(in.read(), out);
            case DATA -> {
                dataLeft -= in.take(out, dataLeft);
                if (dataLeft == 0) {
                    state = State.DATA_CR;
                }
            }
            case DATA_CR -> {
                expect(in.read(), '\r');
                state = State.DATA_LF;
            }
            case DATA_LF -> {
                expect(in.read(), '\n');
                out.append("\r\n");
                state = State.SIZE;
            }
            default -> throw new IllegalStateException(state.name());
            }
        }
        return out.toArray();
    }

    private void line(byte b, Bytes out) {
        if (b != '\n') {
            line.append(b);
            int limit = state == State.SIZE ? MAX_SIZE_LINE : maxTrailerBytes - trailerBytes;
            if (line.size() > limit) {
                throw new MalformedBodyException(state == State.SIZE ? "A chunk size line is too long."
                        : "The trailer section is too large.");
            }
            return;
        }
        if (line.size() == 0 || line.at(line.size() - 1) != '\r') {
            throw new MalformedBodyException("Lines of the chunked framing must end with CR LF.");
        }
        int length = line.size() - 1;
        if (state == State.SIZE) {
            size(length, out);
        } else {
            trailer(length, out);
        }
        line.clear();
    }

    private void size(int length, Bytes out) {
        long size = 0;
        int i = 0;
        while (i < length && Syntax.hex(line.at(i)) >= 0) {
            size = size * 16 + Syntax.hex(line.at(i++));
            if (size > Integer.MAX_VALUE) {
                throw new MalformedBodyException("A chunk is larger than 2^31-1 bytes.");
            }
        }
        if (i == 0) {
            throw new MalformedBodyException("A chunk size is not a hexadecimal number.");
        }
        while (i < length && Syntax.whitespace(line.at(i))) {
            i++;
        }
        if (i < length && line.at(i) != ';') {
            throw new MalformedBodyException("A chunk size is followed by something other than an extension.");
        }
        for (; i < length; i++) {
            if (!Syntax.fieldValue(line.at(i))) {
                throw new MalformedBodyException("A chunk extension holds a control character.");
            }
        }
        if (size == 0) {
            state = State.TRAILER;
        } else {
            out.append(Long.toHexString(size) + "\r\n");
            dataLeft = size;
            state = State.DATA;
        }
    }

    private void trailer(int length, Bytes out) {
        if (length == 0) {
            out.append(LAST_CHUNK);
            state = State.DONE;
            return;
        }
        trailerBytes += length + 2;
        if (++trailerCount > maxTrailerCount) {
            throw new MalformedBodyException("The trailer section has too many fields.");
        }
        if (Syntax.whitespace(line.at(0))) {
            throw new MalformedBodyException("Trailer line folding is not allowed.");
        }
        int colon = 0;
        while (colon < length && line.at(colon) != ':') {
            if (!Syntax.tchar(line.at(colon++))) {
                throw new MalformedBodyException("A trailer field name holds a character that is not allowed.");
            }
        }
        if (colon == 0 || colon == length) {
            throw new MalformedBodyException("A trailer line is not name: value.");
        }
        for (int i = colon + 1; i < length; i++) {
            if (!Syntax.fieldValue(line.at(i))) {
                throw new MalformedBodyException("A trailer field value holds a control character.");
            }
        }
    }

    private static void expect(byte b, char wanted) {
        if (b != wanted) {
            throw new MalformedBodyException("Chunk data is not followed by CR LF.");
        }
    }
}
