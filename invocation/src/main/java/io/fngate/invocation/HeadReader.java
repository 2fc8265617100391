package io.fngate.invocation;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an HTTP/1.1 response head (status line and headers, up to the empty line) from the upstream.
 * <p>
 * Resumable: bytes read so far are kept in this object, so a read that times out (the socket stays usable)
 * can simply be retried; the caller decides whether waiting longer is allowed.
 */
final class HeadReader {
    static final int MAX_HEAD_BYTES = 64 * 1024;

    private byte[] buf = new byte[512];
    private int len;
    private boolean started;
    /** The last {@code NVCF-PERCENT-COMPLETE} an interim (1xx) response carried; read by other threads. */
    private volatile String progress;

    /**
     * @return whether any byte of a response has arrived (the upstream has begun answering)
     */
    boolean started() {
        return started;
    }

    /**
     * @return the progress a container last reported on an interim response ({@code NVCF-PERCENT-COMPLETE})
     */
    java.util.Optional<String> progress() {
        return java.util.Optional.ofNullable(progress);
    }

    /**
     * Reads the next response head. Interim 1xx responses (except 101) are skipped.
     *
     * @throws java.net.SocketTimeoutException when the read timed out; call again to continue
     * @throws EOFException                    when the upstream closed before a complete head
     * @throws UpstreamProtocolException       when the bytes are not an HTTP/1.1 response head
     */
    ResponseHead read(InputStream in) throws IOException {
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("upstream closed the connection before a complete response head");
            }
            started = true;
            if (len == buf.length) {
                if (len >= MAX_HEAD_BYTES) {
                    throw new UpstreamProtocolException("response head larger than " + MAX_HEAD_BYTES + " bytes");
                }
                buf = java.util.Arrays.copyOf(buf, len * 2);
            }
            buf[len++] = (byte) b;
            if (b == '\n' && endsWithEmptyLine()) {
                ResponseHead head = parse(new String(buf, 0, len, StandardCharsets.ISO_8859_1));
                len = 0;
                if (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
                    // interim answers are not relayed; a progress report on one is kept for 202s
                    head.values("nvcf-percent-complete").stream().filter(HeaderPolicy::safeValue)
                            .reduce((first, last) -> last).ifPresent(p -> progress = p);
                    continue;
                }
                return head;
            }
        }
    }

    private boolean endsWithEmptyLine() {
        return (len >= 2 && buf[len - 2] == '\n')
                || (len >= 4 && buf[len - 2] == '\r' && buf[len - 3] == '\n');
    }

    private static ResponseHead parse(String text) throws UpstreamProtocolException {
        List<String> lines = new ArrayList<>(16);
        int from = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            int end = nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            lines.add(text.substring(from, end));
            from = nl + 1;
        }
        String statusLine = lines.getFirst();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new UpstreamProtocolException("not an HTTP/1.x status line");
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new UpstreamProtocolException("invalid status code");
        }
        if (status < 100 || status > 999 || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new UpstreamProtocolException("invalid status code");
        }
        String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
        List<ResponseHead.Line> headers = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new UpstreamProtocolException("obsolete header folding");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(0, colon).indexOf(' ') >= 0) {
                throw new UpstreamProtocolException("malformed header line");
            }
            String name = line.substring(0, colon);
            headers.add(new ResponseHead.Line(name, name.toLowerCase(Locale.ROOT), line.substring(colon + 1).trim()));
        }
        return new ResponseHead(status, reason, headers);
    }
}
