package io.fngate.edge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a complete request head (from {@link HeadReader}) field by field and decides how the connection goes on.
 * What it rejects, each with 400 unless said otherwise:
 * <ul>
 *     <li>a request line that is not {@code method SP target SP HTTP/d.d} with a token method; a well-formed
 *     version other than HTTP/1.0 and HTTP/1.1 is 505;</li>
 *     <li>a target that is not origin-form, absolute-form {@code http(s)://authority...}, or {@code *} for
 *     OPTIONS (so CONNECT is refused), or that holds a {@code #};</li>
 *     <li>obs-fold, a field name with other than token characters (whitespace before the colon), a line without
 *     colon, a control character in a value;</li>
 *     <li>Content-Length with Transfer-Encoding, a Content-Length that is repeated or not digits, a
 *     Transfer-Encoding whose final coding is not chunked or that applies chunked twice (another coding before
 *     chunked is 501: Helidon decodes none);</li>
 *     <li>an HTTP/1.1 request without Host, more than one Host, a Host that is not {@code host[:port]}, and a Host
 *     that names another authority than an absolute-form target.</li>
 * </ul>
 * An accepted head goes to Helidon unchanged, except that it is rewritten as HTTP/1.1 for an HTTP/1.0 client
 * (see {@link ResponseListener}), an absolute-form target becomes origin-form with its authority as the Host, and an
 * {@code Upgrade: h2c} without exactly one HTTP2-Settings is dropped (RFC 9113 section 3.2: no upgrade then).
 */
final class HeadParser {
    private final byte[] head;
    private final String localAuthority;
    private boolean isHead;
    /** The method once it is known to be a token, and the target's path once the target is valid (for logs). */
    private String validMethod;
    private String validPath;

    private HeadParser(byte[] head, String localAuthority) {
        this.head = head;
        this.localAuthority = localAuthority;
    }

    /**
     * @param head           the head, request line through CRLF CRLF
     * @param localAuthority {@code host:port} to use as Host for an HTTP/1.0 request that has none
     * @throws Rejected when the head is not acceptable
     */
    static RequestHead parse(byte[] head, String localAuthority) {
        return new HeadParser(head, localAuthority).parse();
    }

    private RequestHead parse() {
        int lineEnd = crlf(0);
        String line = text(0, lineEnd);
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw reject(EdgeProblem.MALFORMED_REQUEST_LINE,
                    "The request line is not: method, space, request target, space, HTTP version.");
        }
        String method = line.substring(0, sp1);
        isHead = method.equals("HEAD");
        String version = line.substring(sp2 + 1);
        if (!(version.length() == 8 && version.startsWith("HTTP/") && Syntax.digit(version.charAt(5))
                && version.charAt(6) == '.' && Syntax.digit(version.charAt(7)))) {
            throw reject(EdgeProblem.MALFORMED_REQUEST_LINE,
                    "The request line does not end with HTTP/<digit>.<digit>.");
        }
        boolean http10 = version.equals("HTTP/1.0");
        if (!http10 && !version.equals("HTTP/1.1")) {
            throw reject(EdgeProblem.HTTP_VERSION_NOT_SUPPORTED,
                    "Only HTTP/1.0, HTTP/1.1 and HTTP/2 (prior knowledge, Upgrade: h2c or ALPN h2) are served.");
        }
        for (int i = 0; i < sp1; i++) {
            if (!Syntax.tchar(line.charAt(i))) {
                throw reject(EdgeProblem.MALFORMED_REQUEST_LINE, "The method is not a token.");
            }
        }
        validMethod = method;
        RequestTarget target;
        try {
            target = RequestTarget.parse(method, line.substring(sp1 + 1, sp2), isHead);
        } catch (Rejected r) {
            throw reject(r.problem(), r.detail());
        }
        validPath = RequestTarget.withoutQuery(target.origin());
        Fields fields = fields(lineEnd + 2);
        long contentLength = contentLength(fields);
        boolean chunked = chunked(fields);
        String host = host(fields, target, http10);
        boolean keepAlive = http10 ? fields.keepAlive && !fields.close && fields.transferEncoding == null
                : !fields.close;
        // Helidon upgrades on exactly "Upgrade: h2c" when there is no body; without exactly one HTTP2-Settings
        // it would fail with a 500, where RFC 9113 3.2 says: do not upgrade
        boolean h2c = !http10 && "h2c".equals(fields.upgrade);
        boolean badH2c = h2c && fields.http2Settings != 1;
        boolean upgradeH2c = h2c && !badH2c && !chunked && contentLength <= 0;
        boolean rewrite = http10 || target.authority() != null || badH2c;
        byte[] bytes = rewrite ? rewrite(method, target, fields, host, http10, keepAlive, badH2c) : head;
        return new RequestHead(method, validPath, http10, keepAlive, contentLength, chunked, upgradeH2c, bytes);
    }

    /** What the edge needs from the header fields; every line is checked on the way. */
    private static final class Fields {
        final List<int[]> lines = new ArrayList<>();
        final List<String> connectionTokens = new ArrayList<>();
        int hosts;
        String host;
        int contentLengths;
        String contentLength;
        String transferEncoding;
        String upgrade;
        int http2Settings;
        boolean close;
        boolean keepAlive;
    }

    private Fields fields(int from) {
        Fields f = new Fields();
        int ls = from;
        while (ls < head.length - 2) {
            int le = crlf(ls);
            if (Syntax.whitespace(head[ls])) {
                throw reject(EdgeProblem.MALFORMED_HEADER, "Header line folding (obs-fold) is not allowed.");
            }
            int colon = ls;
            while (colon < le && head[colon] != ':') {
                if (!Syntax.tchar(head[colon])) {
                    throw reject(EdgeProblem.MALFORMED_HEADER,
                            "A header field name holds a character that is not allowed"
                                    + " (or whitespace before the colon).");
                }
                colon++;
            }
            if (colon == le || colon == ls) {
                throw reject(EdgeProblem.MALFORMED_HEADER, "A header line is not name: value.");
            }
            for (int i = colon + 1; i < le; i++) {
                if (!Syntax.fieldValue(head[i])) {
                    throw reject(EdgeProblem.MALFORMED_HEADER, "A header field value holds a control character.");
                }
            }
            f.lines.add(new int[] {ls, colon, le});
            field(f, ls, colon, le);
            ls = le + 2;
        }
        return f;
    }

    /** Notes the fields the edge cares about; no string is made for the others (most of them). */
    private void field(Fields f, int name, int colon, int end) {
        if (is(name, colon, "host")) {
            f.hosts++;
            f.host = value(colon, end);
        } else if (is(name, colon, "content-length")) {
            f.contentLengths++;
            f.contentLength = value(colon, end);
        } else if (is(name, colon, "transfer-encoding")) {
            String value = value(colon, end);
            f.transferEncoding = f.transferEncoding == null ? value : f.transferEncoding + "," + value;
        } else if (is(name, colon, "upgrade")) {
            f.upgrade = value(colon, end);
        } else if (is(name, colon, "http2-settings")) {
            f.http2Settings++;
        } else if (is(name, colon, "connection")) {
            for (String token : value(colon, end).split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (t.equals("close")) {
                    f.close = true;
                } else if (t.equals("keep-alive")) {
                    f.keepAlive = true;
                } else if (!t.isEmpty()) {
                    f.connectionTokens.add(t);
                }
            }
        }
    }

    private long contentLength(Fields f) {
        if (f.contentLengths == 0) {
            return -1;
        }
        if (f.contentLengths > 1) {
            throw reject(EdgeProblem.INVALID_FRAMING, "The request has more than one Content-Length field.");
        }
        if (f.transferEncoding != null) {
            throw reject(EdgeProblem.INVALID_FRAMING, "The request has both Content-Length and Transfer-Encoding.");
        }
        String v = f.contentLength;
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Syntax::digit)) {
            throw reject(EdgeProblem.INVALID_FRAMING, "The Content-Length is not a number of bytes.");
        }
        return Long.parseLong(v);
    }

    private boolean chunked(Fields f) {
        if (f.transferEncoding == null) {
            return false;
        }
        List<String> codings = new ArrayList<>();
        for (String element : f.transferEncoding.split(",")) {
            int semicolon = element.indexOf(';');
            String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).strip();
            if (!coding.isEmpty()) {
                codings.add(coding.toLowerCase(Locale.ROOT));
            }
        }
        if (codings.isEmpty() || !codings.getLast().equals("chunked")) {
            throw reject(EdgeProblem.INVALID_FRAMING, "The final transfer coding of the request is not chunked.");
        }
        if (codings.indexOf("chunked") != codings.size() - 1) {
            throw reject(EdgeProblem.INVALID_FRAMING, "The chunked transfer coding is applied more than once.");
        }
        if (codings.size() > 1) {
            throw reject(EdgeProblem.UNSUPPORTED_TRANSFER_CODING, "Only the chunked transfer coding is implemented.");
        }
        return true;
    }

    /** @return the Host the request ends up with */
    private String host(Fields f, RequestTarget target, boolean http10) {
        if (f.hosts > 1) {
            throw reject(EdgeProblem.INVALID_HOST, "The request has more than one Host field.");
        }
        if (target.authority() != null) {
            if (f.hosts == 1 && !target.sameAuthority(f.host)) {
                throw reject(EdgeProblem.HOST_MISMATCH,
                        "The Host header names another authority than the request target.");
            }
            return target.authority();
        }
        if (f.hosts == 0) {
            if (!http10) {
                throw reject(EdgeProblem.MISSING_HOST, "An HTTP/1.1 request must carry a Host header.");
            }
            return localAuthority;
        }
        if (!Syntax.authority(f.host)) {
            throw reject(EdgeProblem.INVALID_HOST, "The Host header is not a valid host[:port].");
        }
        return f.host;
    }

    private byte[] rewrite(String method, RequestTarget target, Fields f, String host, boolean http10,
                           boolean keepAlive, boolean dropUpgrade) {
        Bytes out = new Bytes(head.length + 64);
        out.append(method + " " + target.origin() + " HTTP/1.1\r\n");
        for (int[] l : f.lines) {
            String name = text(l[0], l[1]).toLowerCase(Locale.ROOT);
            boolean drop = switch (name) {
                case "host" -> true; // written below
                // hop-by-hop fields of HTTP/1.0 that must not reach HTTP/1.1 semantics (RFC 9110 7.6.1, 7.8,
                // 10.1.1: an HTTP/1.0 Expect and Upgrade are ignored)
                case "connection", "keep-alive", "expect" -> http10;
                case "upgrade", "http2-settings" -> http10 || dropUpgrade;
                default -> false;
            };
            if (!drop) {
                out.append(head, l[0], l[2] - l[0]);
                out.append("\r\n");
            }
        }
        out.append("Host: " + host + "\r\n");
        if (http10) {
            List<String> tokens = new ArrayList<>(f.connectionTokens);
            if (!keepAlive) {
                tokens.add("close");
            }
            if (!tokens.isEmpty()) {
                out.append("Connection: " + String.join(", ", tokens) + "\r\n");
            }
        }
        out.append("\r\n");
        return out.toArray();
    }

    /** Whether the bytes {@code from..to} are {@code name} (lower case), ignoring ASCII case. */
    private boolean is(int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int b = head[from + i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String value(int colon, int end) {
        return text(colon + 1, end).strip();
    }

    private int crlf(int from) {
        int i = from;
        while (head[i] != '\r') {
            i++;
        }
        return i;
    }

    private String text(int from, int to) {
        return new String(head, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private Rejected reject(EdgeProblem problem, String detail) {
        return new Rejected(problem, detail, isHead, validMethod, validPath);
    }
}
