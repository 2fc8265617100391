package io.fngate.edge;

import java.util.Locale;

/**
 * The request target of a request line (RFC 9112 section 3.2), in the forms the edge accepts: origin-form
 * ({@code /path?query}), absolute-form ({@code http(s)://authority/path?query}, which becomes origin-form with its
 * authority as the Host) and asterisk-form for OPTIONS. Authority-form (CONNECT) is refused: fngate is no
 * tunnel.
 *
 * @param origin    the target to give Helidon, in origin-form (or {@code *})
 * @param authority the absolute-form's {@code host[:port]}, or null
 * @param scheme    the absolute-form's scheme in lower case, or null
 */
record RequestTarget(String origin, String authority, String scheme) {

    /** A request target's path: everything before its query (for logs). */
    static String withoutQuery(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /**
     * @param head whether the request is a HEAD (for the answer when refused)
     * @throws Rejected when the target is none of the accepted forms, or holds a {@code #}
     */
    static RequestTarget parse(String method, String target, boolean head) {
        for (int i = 0; i < target.length(); i++) {
            if (!Syntax.target(target.charAt(i))) {
                throw new Rejected(EdgeProblem.MALFORMED_REQUEST_TARGET, "The request target holds a fragment (#).",
                        head);
            }
        }
        if (target.charAt(0) == '/' || (target.equals("*") && method.equals("OPTIONS"))) {
            return new RequestTarget(target, null, null);
        }
        int sep = target.indexOf("://");
        String scheme = sep < 0 ? "" : target.substring(0, sep).toLowerCase(Locale.ROOT);
        if (scheme.equals("http") || scheme.equals("https")) {
            int start = sep + 3;
            int end = start;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            String authority = target.substring(start, end);
            if (authority.isEmpty() || authority.indexOf('@') >= 0 || !Syntax.authority(authority)) {
                throw new Rejected(EdgeProblem.MALFORMED_REQUEST_TARGET,
                        "The absolute-form request target has no valid host[:port] (user info is not allowed).", head);
            }
            String rest = target.substring(end);
            String origin = rest.isEmpty() ? "/" : rest.charAt(0) == '?' ? "/" + rest : rest;
            return new RequestTarget(origin, authority, scheme);
        }
        throw new Rejected(EdgeProblem.MALFORMED_REQUEST_TARGET,
                "The request target is neither an absolute path, an absolute http(s) URI, nor * for OPTIONS.", head);
    }

    /**
     * Whether a Host header names this absolute-form target's authority: case-insensitive, and the scheme's
     * default port written or not is the same authority.
     */
    boolean sameAuthority(String host) {
        return normalise(host).equals(normalise(authority));
    }

    private String normalise(String hostPort) {
        String a = hostPort.toLowerCase(Locale.ROOT);
        String defaultPort = "https".equals(scheme) ? ":443" : ":80";
        if (a.endsWith(defaultPort)) {
            return a.substring(0, a.length() - defaultPort.length());
        }
        return a.endsWith(":") ? a.substring(0, a.length() - 1) : a;
    }
}
