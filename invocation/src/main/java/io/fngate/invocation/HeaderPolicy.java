package io.fngate.invocation;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.helidon.http.Header;

/**
 * Which headers cross the gateway, in each direction.
 * <p>
 * Dropped both ways: hop-by-hop headers (RFC 9110 section 7.6.1: Connection and every header it names,
 * Keep-Alive, Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, TE, Trailer, Transfer-Encoding,
 * Upgrade, and HTTP2-Settings) because they describe one connection, not the message; and framing
 * (Content-Length), which the gateway sets from the body it actually relays.
 * <p>
 * Dropped towards the container: Authorization (the platform's credential, not the function's), every
 * client-sent {@code NVCF-*} header (worker-owned: the gateway sends its own), {@code X-Forwarded-*},
 * {@code Forwarded} and {@code X-Real-IP} (client claims the gateway cannot vouch for; it sets its own, and
 * extends a trusted proxy's instead, see {@link TrustedProxies}), Host (the container is addressed by its own
 * authority; the original is in X-Forwarded-Host), Expect (the gateway answers 100-continue to the client itself
 * and streams the body regardless), and any name with an underscore: CGI and WSGI servers fold {@code _} into
 * {@code -}, so {@code X_Forwarded_For} would become the X-Forwarded-For the gateway just set (nginx drops them
 * too).
 */
final class HeaderPolicy {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");
    private static final Set<String> REQUEST_DROPPED = Set.of(
            "authorization", "host", "content-length", "expect", "forwarded", "x-real-ip");
    private static final Set<String> RESPONSE_DROPPED = Set.of(
            "content-length", "nvcf-reqid", "nvcf-status");

    private HeaderPolicy() {
    }

    /**
     * The lower-case names listed in Connection headers (each also hop-by-hop for this message).
     */
    static Set<String> connectionListed(Iterable<String> connectionValues) {
        Set<String> names = new HashSet<>();
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }

    static boolean forwardRequestHeader(String lowerName, Set<String> connectionListed) {
        return !HOP_BY_HOP.contains(lowerName)
                && !REQUEST_DROPPED.contains(lowerName)
                && !lowerName.startsWith("nvcf-")
                && !lowerName.startsWith("x-forwarded-")
                && !lowerName.startsWith(":")
                && lowerName.indexOf('_') < 0
                && !connectionListed.contains(lowerName);
    }

    static boolean forwardResponseHeader(String lowerName, Set<String> connectionListed) {
        return !HOP_BY_HOP.contains(lowerName)
                && !RESPONSE_DROPPED.contains(lowerName)
                && !connectionListed.contains(lowerName);
    }

    /**
     * A value that could split a header line is never written upstream (request smuggling).
     */
    static boolean safeValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }

    static String lower(Header header) {
        return header.headerName().lowerCase(); // computed once per name by Helidon
    }
}
