package io.fngate.invocation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import io.fngate.routing.Lease;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.http.ServerRequest;

/**
 * Builds the request line and headers sent to the container.
 * <p>
 * The request target is the client's raw path and raw query, byte for byte: nothing is decoded, normalised
 * or re-encoded ({@code %2F}, {@code +}, {@code ;m=1}, repeated and bare query parameters all survive).
 */
final class RequestHeadWriter {
    private RequestHeadWriter() {
    }

    static String target(HttpPrologue prologue) {
        String path = prologue.uriPath().rawPath();
        if (path.isEmpty()) {
            path = "/";
        }
        return prologue.hasQuery() ? path + "?" + prologue.query().rawValue() : path;
    }

    /**
     * @param clientAddress  the client's address (X-Forwarded-For)
     * @param declaredLength the client's Content-Length, when it sent one
     * @param chunked        whether the body goes upstream chunked (a body of unknown length)
     * @param trace          the request's trace: the container gets the gateway's span as its parent
     * @param pexec          a pexec route: the target is the version's inferenceUrl, JSON unless said otherwise
     * @param pollTime       how long the container has to start its response ({@code nvcf-poll-seconds})
     * @param maxResponse    the largest response wanted ({@code NVCF-MAX-RESPONSE-SIZE-BYTES}), when configured
     */
    static byte[] write(ServerRequest req, Lease lease, UUID requestId, String clientAddress, TrustedProxies trusted,
                        OptionalLong declaredLength, boolean chunked, TraceContext trace, boolean pexec,
                        java.time.Duration pollTime, OptionalLong maxResponse) {
        StringBuilder b = new StringBuilder(512);
        // pexec: the client's path names the function, the container serves its inferenceUrl (no client query)
        String target = pexec ? lease.version().inferenceUrl() : target(req.prologue());
        b.append(req.prologue().method().text()).append(' ').append(target).append(" HTTP/1.1\r\n");
        line(b, "Host", lease.instance().authority());
        Set<String> listed = HeaderPolicy.connectionListed(req.headers().all(HeaderNames.CONNECTION, List::of));
        for (Header h : req.headers()) {
            String lower = HeaderPolicy.lower(h);
            if (HeaderPolicy.forwardRequestHeader(lower, listed) && !lower.equals("traceparent")
                    && (trace.continued() || !lower.equals("tracestate"))) {
                for (String value : h.allValues()) {
                    if (HeaderPolicy.safeValue(value)) {
                        line(b, h.name(), value);
                    }
                }
            }
        }
        line(b, "NVCF-REQID", requestId.toString());
        line(b, "NVCF-FUNCTION-ID", lease.function().id().toString());
        line(b, "NVCF-FUNCTION-VERSION-ID", lease.version().id().toString());
        if (HeaderPolicy.safeValue(lease.function().name())) {
            line(b, "NVCF-FUNCTION-NAME", lease.function().name());
        }
        line(b, "traceparent", trace.childHeader());
        // the worker's headers (a client's nvcf-* headers were dropped above)
        line(b, "NVCF-POLL-SECONDS", Long.toString(Math.max(1, pollTime.toSeconds())));
        if (maxResponse.isPresent()) {
            line(b, "NVCF-MAX-RESPONSE-SIZE-BYTES", Long.toString(maxResponse.getAsLong()));
        }
        if (pexec && !req.headers().contains(HeaderNames.CONTENT_TYPE)) {
            line(b, "Content-Type", "application/json");
        }
        forwarding(b, req, clientAddress, trusted);
        if (declaredLength.isPresent()) {
            line(b, "Content-Length", Long.toString(declaredLength.getAsLong()));
        } else if (chunked) {
            line(b, "Transfer-Encoding", "chunked");
        }
        b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Who the client is, as the gateway saw it. A trusted proxy's forwarding headers are extended (its client list
     * gets the proxy's address appended, its protocol and host stand); anyone else's were dropped and are replaced.
     */
    private static void forwarding(StringBuilder b, ServerRequest req, String peer, TrustedProxies trusted) {
        String authority = req.authority();
        String proto = req.isSecure() ? "https" : "http";
        String host = authority != null && !authority.isEmpty() && HeaderPolicy.safeValue(authority) ? authority : null;
        String realIp = peer;
        String forwardedFor = peer;
        if (trusted.trusts(peer)) {
            List<String> chain = req.headers().all(X_FORWARDED_FOR, List::of);
            if (!chain.isEmpty() && chain.stream().allMatch(HeaderPolicy::safeValue)) {
                forwardedFor = String.join(", ", chain) + ", " + peer;
                realIp = chain.getFirst().split(",")[0].strip();
            }
            realIp = req.headers().first(X_REAL_IP).filter(HeaderPolicy::safeValue).orElse(realIp);
            proto = req.headers().first(X_FORWARDED_PROTO).filter(HeaderPolicy::safeValue).orElse(proto);
            host = req.headers().first(X_FORWARDED_HOST).filter(HeaderPolicy::safeValue).orElse(host);
            req.headers().first(FORWARDED).filter(HeaderPolicy::safeValue)
                    .ifPresent(f -> line(b, "Forwarded", f + ", for=\"" + peer + "\""));
        }
        line(b, "X-Forwarded-For", forwardedFor);
        line(b, "X-Forwarded-Proto", proto);
        if (host != null) {
            line(b, "X-Forwarded-Host", host);
        }
        line(b, "X-Real-IP", realIp);
    }

    private static final io.helidon.http.HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");
    private static final io.helidon.http.HeaderName X_FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");
    private static final io.helidon.http.HeaderName X_FORWARDED_HOST = HeaderNames.create("X-Forwarded-Host");
    private static final io.helidon.http.HeaderName X_REAL_IP = HeaderNames.create("X-Real-IP");
    private static final io.helidon.http.HeaderName FORWARDED = HeaderNames.create("Forwarded");

    private static void line(StringBuilder b, String name, String value) {
        b.append(name).append(": ").append(value).append("\r\n");
    }
}
