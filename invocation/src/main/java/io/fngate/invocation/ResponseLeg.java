package io.fngate.invocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

import io.fngate.edge.Edge;
import io.fngate.streaming.BodyRelay;
import io.fngate.streaming.RelayObserver;
import io.fngate.streaming.RelayResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;

/**
 * The response leg of one exchange: the container's status and headers to the client, then its body (sent
 * whole when small and of known length, relayed by {@link BodyRelay} otherwise), and the connection back to
 * the pool only when both directions ended cleanly. Returns how it ended ({@link LegResult}); a failure before
 * anything was sent to the client is an {@link InvocationFailure}. Single use.
 */
final class ResponseLeg {
    private static final int RELAY_BUFFER = 16 * 1024;
    /**
     * A body of known length above {@link #RELAY_BUFFER} is read in pieces this large: a 1 MiB body took 67
     * reads of the upstream socket with 16 KiB, 19 with this, and ~20% less CPU (perf stat, wrk).
     */
    private static final int LARGE_BUFFER = 64 * 1024;
    /**
     * An event stream's buffer: events are small, and a stream may stay open for an hour, mostly waiting. The
     * buffers an open stream holds are most of what it costs (about 40 KiB of heap each, at 10,000 streams).
     */
    private static final int EVENT_BUFFER = 4 * 1024;
    private static final int SMALL_BODY = 8 * 1024;

    private final Exchange ex;
    private final InvocationHandler ctx;
    private final UpstreamPool pool;
    private final UpstreamConnection conn;
    private final RequestBodyPump pump;
    private final ResponseHead head;
    private final int code;
    /** The connection went back to the pool, or was closed on purpose. */
    private boolean settled;
    /** Sees the body for observability (token usage, event timing). */
    private RelayObserver observer = RelayObserver.NONE;

    ResponseLeg(Exchange ex, UpstreamStart start) {
        this.ex = ex;
        this.ctx = ex.ctx();
        this.pool = ctx.pool();
        this.conn = start.connection();
        this.pump = start.pump();
        this.head = start.head();
        this.code = head.status();
    }

    /**
     * Relays the response. Whatever happens, the connection ends either back in the pool (both directions ended
     * cleanly) or closed: an unexpected exception (a client that vanished in a way the code did not foresee)
     * must not leak it.
     */
    LegResult relay() {
        try {
            return relayOnce();
        } finally {
            if (!settled) {
                pool.abort(conn);
                Upstream.stop(pump);
            }
        }
    }

    private LegResult relayOnce() {
        if (code == 101) {
            pool.abort(conn);
            Upstream.stop(pump);
            ex.upstreamFailed(UpstreamFailure.PROTOCOL);
            throw new InvocationFailure(PlatformError.UPSTREAM_PROTOCOL,
                    "The function switched protocols, which is not supported.");
        }
        boolean noBody = ex.head() || code == 204 || code == 304;
        OptionalLong length;
        try {
            length = head.contentLength();
        } catch (IllegalArgumentException e) {
            pool.abort(conn);
            Upstream.stop(pump);
            ex.upstreamFailed(UpstreamFailure.PROTOCOL);
            throw new InvocationFailure(PlatformError.UPSTREAM_PROTOCOL,
                    "The function instance sent an invalid Content-Length.");
        }
        var res = ex.res();
        res.status(Status.create(code, head.reason().isEmpty() ? reasonFor(code) : head.reason()));
        Set<String> listed = HeaderPolicy.connectionListed(head.values("connection"));
        for (ResponseHead.Line line : head.headers()) {
            if (HeaderPolicy.forwardResponseHeader(line.lowerName(), listed)) {
                // marked changing: HTTP/2's HPACK then sends it literally instead of adding it to the connection's
                // dynamic table. Containers' headers are often unique per response (Date, lengths, request ids);
                // indexed, they churned the table and made every lookup in it a long scan (7.5% of h2c CPU)
                res.headers().add(HeaderValues.create(HeaderNames.create(line.name()), true, false, line.value()));
            }
        }
        ex.stamp(code);
        exposeRequestId();
        boolean sse = head.contentType().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        if (sse) {
            if (head.values("cache-control").isEmpty()) {
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            }
            res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        }
        // After HEAD, some servers (Helidon 4.5.0 among them) still send the body they computed, and some send one
        // after a 204 or 304: a connection reused after that would start the next response with stray bytes,
        // and those may arrive after any check. Such connections are not pooled.
        boolean reusable = !head.connectionClose() && !ex.head() && code != 204 && code != 304;
        if (noBody || (length.isPresent() && length.getAsLong() == 0 && !head.hasTransferEncoding())) {
            if (ex.head() && length.isPresent() && !head.hasTransferEncoding()) {
                // HEAD tells the length a GET would have; the client must not wait for that body
                res.header(HeaderValues.create(HeaderNames.CONTENT_LENGTH, true, false,
                        Long.toString(length.getAsLong())));
            }
            return finishWithoutBody(reusable);
        }
        observer = ctx.listener().responseStarted(new ResponseStart(ex.id(), ex.lease().function().id(),
                ex.lease().version().id(), ex.lease().version().functionType(), code, sse, ex.start()));
        InputStream body;
        if (head.hasTransferEncoding()) {
            if (head.chunked()) {
                body = new ChunkedInputStream(conn.in());
            } else {
                body = conn.in(); // body ends when the container closes
                reusable = false;
            }
        } else if (length.isPresent() && length.getAsLong() <= SMALL_BODY && !sse) {
            return sendSmall((int) length.getAsLong(), reusable);
        } else if (length.isPresent()) {
            res.header(HeaderValues.create(HeaderNames.CONTENT_LENGTH, true, false, Long.toString(length.getAsLong())));
            body = new FixedLengthInputStream(conn.in(), length.getAsLong());
        } else {
            body = conn.in(); // no framing: the body ends when the container closes
            reusable = false;
        }
        // a buffer per response: no larger than the body when its length is known (most answers are small)
        int buffer = sse ? EVENT_BUFFER : length.isPresent() && !head.hasTransferEncoding()
                ? (int) Math.max(512, Math.min(LARGE_BUFFER, length.getAsLong())) : RELAY_BUFFER;
        return relayBody(body, sse, reusable, buffer);
    }

    /**
     * A small body of known length (most JSON answers) is read, then sent in one call: Helidon writes head and
     * body together, without its streaming machinery. Bounded by {@link #SMALL_BODY}, not by what the
     * container sends.
     */
    private LegResult sendSmall(int length, boolean reusable) {
        byte[] body = new byte[length];
        int read = 0;
        try {
            while (read < length) {
                Duration left = Duration.between(ctx.clock().instant(), ex.deadline());
                if (left.isNegative() || left.isZero()) {
                    throw new SocketTimeoutException("request timeout");
                }
                Duration idle = ctx.settings().responseIdleTimeout();
                pool.expireReads(conn, idle.compareTo(left) < 0 ? idle : left); // a stall is answered 504
                int n = conn.in().read(body, read, length - read);
                if (n < 0) {
                    throw new java.io.EOFException("upstream closed inside the body");
                }
                read += n;
            }
        } catch (IOException e) {
            // nothing was sent yet: the client gets an honest error instead of a short body
            pool.abort(conn);
            Upstream.stop(pump);
            ex.res().headers().clear();
            observer.ended(RelayResult.Outcome.UPSTREAM_FAILED);
            ex.upstreamFailed(e instanceof SocketTimeoutException ? UpstreamFailure.TIMEOUT : UpstreamFailure.RESET);
            throw new InvocationFailure(e instanceof SocketTimeoutException ? PlatformError.UPSTREAM_TIMEOUT
                    : PlatformError.UPSTREAM_UNREACHABLE, "The function instance failed while sending its response.");
        }
        LegResult result;
        try {
            Edge.sendWhole(ex.res(), body); // HTTP/2: headers and body in one write
            result = LegResult.ended(InvocationRecord.Outcome.COMPLETED, code, length);
            observer.relayed(body, 0, length);
            observer.ended(RelayResult.Outcome.COMPLETED);
        } catch (UncheckedIOException e) {
            result = LegResult.ended(InvocationRecord.Outcome.CLIENT_GONE, code, 0);
            reusable = false;
            observer.ended(RelayResult.Outcome.CLIENT_GONE);
        }
        release(reusable);
        return result;
    }

    private LegResult finishWithoutBody(boolean reusable) {
        LegResult result = LegResult.ended(InvocationRecord.Outcome.COMPLETED, code, 0);
        try {
            ex.res().send();
        } catch (UncheckedIOException e) {
            result = LegResult.ended(InvocationRecord.Outcome.CLIENT_GONE, code, 0);
        }
        release(reusable);
        return result;
    }

    private LegResult relayBody(InputStream body, boolean sse, boolean reusable, int bufferSize) {
        // the watch aborts the upstream when the client leaves: the relay's blocked read then fails at once.
        // A small fixed-length body fits in the socket buffers: its write cannot stall, so it is not watched.
        ClientWatch watch = sse || bufferSize >= RELAY_BUFFER
                ? ctx.watcher().response(ex.req(), ex.res(), sse, ctx.settings().clientWriteTimeout(), pump,
                        () -> pool.abort(conn))
                : null;
        OutputStream out;
        RelayResult result;
        try {
            try {
                out = watch == null ? ex.res().outputStream() : watch.wrap(ex.res().outputStream());
                out = Edge.headWithFirstWrite(ex.res(), out); // the head leaves with the first bytes
            } catch (UncheckedIOException e) {
                pool.abort(conn);
                Upstream.stop(pump);
                observer.ended(RelayResult.Outcome.CLIENT_GONE);
                return LegResult.ended(InvocationRecord.Outcome.CLIENT_GONE, code, 0);
            }
            result = BodyRelay.builder()
                    .clock(ctx.clock())
                    .deadline(ex.deadline())
                    .eventStream(sse)
                    .keepAlive(ctx.settings().sseKeepAlive())
                    .idleTimeout(ctx.settings().responseIdleTimeout())
                    // a read's timeout ends the relay (stalled, or the deadline): no timer per read
                    .readTimeout(timeout -> pool.expireReads(conn, timeout))
                    .keepAliveBy(ctx.ticker(), () -> pool.abort(conn))
                    .bufferSize(bufferSize)
                    .observer(observer)
                    .build()
                    .relay(body, out);
        } finally {
            if (watch != null) {
                watch.close(); // before the response ends: a finished HTTP/2 stream is CLOSED too
            }
        }
        RelayResult.Outcome outcome = watch != null && watch.gone() ? RelayResult.Outcome.CLIENT_GONE
                : result.outcome();
        long bytes = result.bytes();
        if (outcome != RelayResult.Outcome.COMPLETED) {
            observer.ended(outcome);
        }
        switch (outcome) {
        case COMPLETED -> {
            if (!closeQuietly(out)) {
                pool.abort(conn);
                Upstream.stop(pump);
                observer.ended(RelayResult.Outcome.CLIENT_GONE);
                return LegResult.ended(InvocationRecord.Outcome.CLIENT_GONE, code, bytes);
            }
            observer.ended(RelayResult.Outcome.COMPLETED);
            release(reusable);
            return LegResult.ended(InvocationRecord.Outcome.COMPLETED, code, bytes);
        }
        case DEADLINE -> {
            pool.abort(conn);
            Upstream.stop(pump);
            if (sse && closeQuietly(out)) {
                ex.log("event stream ended at the request timeout");
                return LegResult.ended(InvocationRecord.Outcome.DEADLINE, code, bytes); // a clean end of the stream
            }
            return LegResult.aborted(InvocationRecord.Outcome.DEADLINE, code, bytes,
                    "request timeout reached inside a response body");
        }
        case CLIENT_GONE -> {
            pool.abort(conn);
            Upstream.stop(pump);
            return LegResult.ended(InvocationRecord.Outcome.CLIENT_GONE, code, bytes);
        }
        case UPSTREAM_FAILED -> {
            pool.abort(conn);
            Upstream.stop(pump);
            ex.upstreamFailed(UpstreamFailure.RESET);
            return LegResult.aborted(InvocationRecord.Outcome.UPSTREAM_FAILED, code, bytes,
                    "upstream failed inside a response body");
        }
        case UPSTREAM_STALLED -> {
            pool.abort(conn);
            Upstream.stop(pump);
            ex.upstreamFailed(UpstreamFailure.TIMEOUT);
            return LegResult.aborted(InvocationRecord.Outcome.UPSTREAM_FAILED, code, bytes,
                    "the function sent nothing for " + ctx.settings().responseIdleTimeout().toSeconds()
                            + " s inside a response body");
        }
        default -> throw new IllegalStateException(result.outcome().name());
        }
    }

    /** Returns the connection to the pool only when both directions of the exchange ended cleanly. */
    private void release(boolean reusable) {
        settled = true;
        boolean bodySent = pump == null || pump.state() == RequestBodyPump.State.DONE;
        if (reusable && bodySent) {
            pool.release(conn);
        } else {
            pool.abort(conn);
        }
        Upstream.stop(pump);
    }

    private void exposeRequestId() {
        List<String> exposed = head.values("access-control-expose-headers");
        String value = exposed.isEmpty() ? "nvcf-reqid" : String.join(", ", exposed) + ", nvcf-reqid";
        ex.res().header(HeaderNames.create("Access-Control-Expose-Headers"), value);
    }

    private static boolean closeQuietly(OutputStream out) {
        try {
            out.close();
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    static String reasonFor(int code) {
        try {
            return Status.create(code).reasonPhrase();
        } catch (RuntimeException e) {
            return "";
        }
    }
}
