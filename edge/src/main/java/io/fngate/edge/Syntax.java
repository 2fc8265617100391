package io.fngate.edge;

/**
 * Byte classes of the HTTP/1.1 grammar (RFC 9110 section 5.6, RFC 9112) used by the edge's parsers.
 */
final class Syntax {
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Syntax() {
    }

    /** A byte of a token (method, header name, transfer coding). */
    static boolean tchar(int b) {
        return TCHAR[b & 0xff];
    }

    /** A byte allowed in a field value: HTAB, SP, VCHAR and obs-text; no other control character, no DEL. */
    static boolean fieldValue(int b) {
        int c = b & 0xff;
        return c == '\t' || (c >= 0x20 && c != 0x7f);
    }

    /** A byte of a request target: visible US-ASCII except {@code #} (a fragment is never sent). */
    static boolean target(int b) {
        int c = b & 0xff;
        return c > 0x20 && c < 0x7f && c != '#';
    }

    static boolean digit(int b) {
        return b >= '0' && b <= '9';
    }

    /** @return the value of a hex digit, or -1 */
    static int hex(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    static boolean whitespace(int b) {
        return b == ' ' || b == '\t';
    }

    /**
     * Whether {@code s} is a valid {@code uri-host [ ":" port ]} (RFC 3986 section 3.2.2): a bracketed IP literal,
     * or reg-name / IPv4 characters (unreserved, percent-encoded, sub-delims), then an optional port of digits.
     */
    static boolean authority(String s) {
        int end = s.length();
        int hostEnd;
        if (s.startsWith("[")) {
            hostEnd = s.indexOf(']');
            if (hostEnd < 2) {
                return false;
            }
            for (int i = 1; i < hostEnd; i++) {
                char c = s.charAt(i);
                if (!(hex(c) >= 0 || c == ':' || c == '.' || c == 'v' || c == 'V')) {
                    return false;
                }
            }
            hostEnd++;
        } else {
            int colon = s.lastIndexOf(':');
            hostEnd = colon < 0 ? end : colon;
            if (hostEnd == 0) {
                return false;
            }
            for (int i = 0; i < hostEnd; i++) {
                char c = s.charAt(i);
                boolean unreserved = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0);
                if (!unreserved && "!$&'()*+,;=%".indexOf(c) < 0) {
                    return false;
                }
            }
        }
        if (hostEnd == end) {
            return true;
        }
        if (s.charAt(hostEnd) != ':' || end - hostEnd > 6) {
            return false;
        }
        for (int i = hostEnd + 1; i < end; i++) {
            if (!digit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
