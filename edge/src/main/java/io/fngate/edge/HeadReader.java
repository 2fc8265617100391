package io.fngate.edge;

/**
 * Collects one request head (request line, header fields, empty line) from a connection's raw input, and
 * rejects it as soon as a limit is crossed or the bytes cannot be HTTP/1.x: a client that streams an endless
 * line, binary junk or a TLS ClientHello on a cleartext port is answered at once rather than at the head timeout.
 * The fields are checked by {@link HeadParser} once the head is complete.
 * <p>
 * Checked here, byte by byte: every line ends with CR LF (a bare LF or a bare CR is 400); the request line holds
 * only visible US-ASCII and spaces (else 400) and is at most {@code max-request-line} bytes (else 414); the header
 * section is at most {@code max-header-bytes} bytes and {@code max-header-count} fields (else 431). One empty line
 * before the request line is skipped (RFC 9112 section 2.2).
 */
final class HeadReader {
    /** What the connection wants to know while a head is read. */
    interface Progress {
        /** The first byte of the head has arrived (starts the head timeout). */
        void started();

        /** A read from the socket returned; throws {@link Rejected} when the edge answered meanwhile. */
        void afterRead();
    }

    private final int maxRequestLine;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;

    HeadReader(EdgeSettings settings) {
        this.maxRequestLine = settings.maxRequestLine();
        this.maxHeaderBytes = settings.maxHeaderBytes();
        this.maxHeaderCount = settings.maxHeaderCount();
    }

    /**
     * Reads one head, blocking.
     *
     * @return the head, from the request line through the final CRLF CRLF; null when the connection ended
     *         (before a byte, or in the middle of a head: there is nobody to answer)
     * @throws Rejected when the head is malformed or too large
     */
    byte[] read(RawInput in, Progress progress) {
        Bytes head = new Bytes(512);
        boolean started = false;
        boolean requestLine = true;
        boolean skippedEmptyLine = false;
        boolean cr = false;
        int lineStart = 0;
        int headerBytes = 0;
        int headerCount = 0;
        while (true) {
            if (in.available() == 0) {
                if (!in.fill()) {
                    return null;
                }
                progress.afterRead();
            }
            if (!started) {
                started = true;
                progress.started();
            }
            byte b = in.read();
            if (cr && b != '\n') {
                throw new Rejected(EdgeProblem.MALFORMED_LINE_ENDING,
                        "A CR in the request head is not followed by LF.");
            }
            if (b == '\n') {
                if (!cr) {
                    throw new Rejected(EdgeProblem.MALFORMED_LINE_ENDING,
                            "Lines of the request head must end with CR LF.");
                }
                cr = false;
                head.append(b);
                int contentLength = head.size() - 2 - lineStart;
                if (requestLine) {
                    if (contentLength == 0 && !skippedEmptyLine) {
                        skippedEmptyLine = true;
                        head.clear();
                        continue;
                    }
                    if (contentLength == 0) {
                        throw new Rejected(EdgeProblem.MALFORMED_REQUEST_LINE, "The request line is missing.");
                    }
                    requestLine = false;
                } else if (contentLength == 0) {
                    return head.toArray();
                } else if (++headerCount > maxHeaderCount) {
                    throw new Rejected(EdgeProblem.HEADER_FIELDS_TOO_LARGE,
                            "The request has more than " + maxHeaderCount + " header fields.");
                } else {
                    headerBytes += contentLength + 2;
                }
                lineStart = head.size();
                continue;
            }
            if (b == '\r') {
                cr = true;
            } else if (requestLine) {
                if (head.size() - lineStart >= maxRequestLine) {
                    throw new Rejected(EdgeProblem.REQUEST_LINE_TOO_LONG,
                            "The request line is longer than " + maxRequestLine + " bytes.");
                }
                if (b != ' ' && !Syntax.target(b) && b != '#') {
                    throw new Rejected(EdgeProblem.MALFORMED_REQUEST_LINE,
                            "The request line holds a byte that is not visible US-ASCII.");
                }
            } else if (headerBytes + head.size() - lineStart + 3 > maxHeaderBytes) { // this byte, then CR LF at least
                throw new Rejected(EdgeProblem.HEADER_FIELDS_TOO_LARGE,
                        "The header section is larger than " + maxHeaderBytes + " bytes.");
            }
            head.append(b);
        }
    }
}
