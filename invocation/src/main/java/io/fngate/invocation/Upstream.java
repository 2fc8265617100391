package io.fngate.invocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

import io.fngate.streaming.BodyRelay;
import io.fngate.streaming.RelayResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;

/**
 * The upstream leg of one exchange: connect (or reuse), send the head, pump the body, await the response head
 * under the response-start timeout, then relay status, headers and body to the client.
 */
final class Upstream {
    /** While the body is still being sent, the response-start clock has not started: re-check this often. */
    private static final Duration BODY_POLL = Duration.ofMillis(500);
    private static final int RELAY_BUFFER = 16 * 1024;
    private static final int SMALL_BODY = 8 * 1024;
    private static final int REPLAYABLE_BODY = 64 * 1024;

    private final Exchange ex;
    private final InvocationHandler ctx;
    private final UpstreamPool pool;
    private final Duration responseStart;
    private final OptionalLong declared;
    private final boolean hasBody;
    /** A small body of known length, read before sending so it can be sent again; null when streamed. */
    private byte[] replayable;

    Upstream(Exchange ex, Duration responseStart, OptionalLong declared, boolean hasBody) {
        this.ex = ex;
        this.ctx = ex.ctx();
        this.pool = ctx.pool();
        this.responseStart = responseStart;
        this.declared = declared;
        this.hasBody = hasBody;
    }

    void run() {
        if (hasBody && declared.isPresent() && declared.getAsLong() <= REPLAYABLE_BODY) {
            // Small bodies are read first (bounded; NVCF's own gateway buffers 32 KiB): head and body leave in
            // one write, and the request can be retried when a reused connection turns out to be closed.
            try {
                replayable = ex.req().content().inputStream().readNBytes((int) declared.getAsLong());
            } catch (IOException | RuntimeException e) {
                replayable = null;
            }
            if (replayable == null || replayable.length < declared.getAsLong()) {
                ex.ended(InvocationRecord.Outcome.CLIENT_GONE, 0);
                return;
            }
        }
        for (int attempt = 0; ; attempt++) {
            UpstreamConnection conn;
            try {
                conn = pool.acquire(ex.route().instance());
            } catch (IOException e) {
                ex.fail(PlatformError.UPSTREAM_UNREACHABLE, "Could not connect to an instance of the function.");
                return;
            }
            RequestBodyPump pump = null;
            Instant sentAt;
            HeadReader reader = new HeadReader();
            ResponseHead head;
            try {
                try {
                    conn.out().write(RequestHeadWriter.write(ex.req(), ex.route(), ex.id(),
                            declared, hasBody && declared.isEmpty()));
                    if (replayable != null) {
                        conn.out().write(replayable);
                    }
                    conn.out().flush();
                    sentAt = ctx.clock().instant();
                    if (hasBody && replayable == null) {
                        pump = RequestBodyPump.start("fngate-body-" + ex.id(), ex.req().content().inputStream(),
                                conn, pool, declared, ctx.settings().maxBodyBytes(), ctx.clock());
                    }
                    head = awaitHead(conn, reader, pump, sentAt);
                } catch (SocketTimeoutException e) {
                    pool.abort(conn);
                    stop(pump);
                    ex.fail(PlatformError.UPSTREAM_TIMEOUT, "The function did not start its response in time.");
                    return;
                } catch (UpstreamProtocolException e) {
                    pool.abort(conn);
                    stop(pump);
                    ex.fail(PlatformError.UPSTREAM_PROTOCOL, "The function instance sent an invalid HTTP response.");
                    return;
                } catch (IOException e) {
                    pool.abort(conn);
                    stop(pump);
                    if (pump != null && pump.state() == RequestBodyPump.State.TOO_LARGE) {
                        ex.fail(PlatformError.BODY_TOO_LARGE,
                                "The request body exceeds " + ctx.settings().maxBodyBytes() + " bytes.");
                    } else if (pump != null && pump.state() == RequestBodyPump.State.CLIENT_GONE) {
                        ex.ended(InvocationRecord.Outcome.CLIENT_GONE, 0);
                    } else if (attempt == 0 && conn.reused() && pump == null && !reader.started()) {
                        continue; // the container closed an idle keep-alive connection as we reused it
                    } else {
                        ex.fail(PlatformError.UPSTREAM_UNREACHABLE,
                                "The function instance closed the connection before responding.");
                    }
                    return;
                }
                relay(conn, head, pump);
                return;
            } catch (RuntimeException e) {
                pool.abort(conn);
                stop(pump);
                throw e;
            }
        }
    }

    private ResponseHead awaitHead(UpstreamConnection conn, HeadReader reader, RequestBodyPump pump, Instant sentAt)
            throws IOException {
        while (true) {
            Instant now = ctx.clock().instant();
            boolean bodyRunning = pump != null && pump.finishedAt().isEmpty();
            Instant from = pump == null ? sentAt : pump.finishedAt().orElse(now);
            Instant limit = from.plus(responseStart);
            if (limit.isAfter(ex.deadline())) {
                limit = ex.deadline();
            }
            Duration left = Duration.between(now, limit);
            if (left.isNegative() || left.isZero()) {
                throw new SocketTimeoutException("response start timeout");
            }
            conn.readTimeout(bodyRunning && left.compareTo(BODY_POLL) > 0 ? BODY_POLL : left);
            try {
                return reader.read(conn.in());
            } catch (SocketTimeoutException e) {
                // loop: the limit moves while the body is still being sent
            }
        }
    }

    private void relay(UpstreamConnection conn, ResponseHead head, RequestBodyPump pump) {
        int code = head.status();
        if (code == 101) {
            pool.abort(conn);
            stop(pump);
            ex.fail(PlatformError.UPSTREAM_PROTOCOL, "The function switched protocols, which is not supported.");
            return;
        }
        boolean noBody = ex.head() || code == 204 || code == 304;
        OptionalLong length;
        try {
            length = head.contentLength();
        } catch (IllegalArgumentException e) {
            pool.abort(conn);
            stop(pump);
            ex.fail(PlatformError.UPSTREAM_PROTOCOL, "The function instance sent an invalid Content-Length.");
            return;
        }
        var res = ex.res();
        res.status(Status.create(code, head.reason().isEmpty() ? reasonFor(code) : head.reason()));
        Set<String> listed = HeaderPolicy.connectionListed(head.values("connection"));
        for (ResponseHead.Line line : head.headers()) {
            if (HeaderPolicy.forwardResponseHeader(line.lowerName(), listed)) {
                res.headers().add(HeaderValues.create(HeaderNames.create(line.name()), line.value()));
            }
        }
        ex.stamp(code);
        exposeRequestId(head);
        boolean sse = head.contentType().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        if (sse) {
            if (head.values("cache-control").isEmpty()) {
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            }
            res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        }
        // After HEAD, some servers (Helidon 4.5.0 among them) still send the body they computed: a connection
        // reused after that would start the next response with stray bytes, so it is not pooled.
        boolean reusable = !head.connectionClose() && !ex.head();
        if (noBody || (length.isPresent() && length.getAsLong() == 0 && !head.hasTransferEncoding())) {
            if (ex.head() && length.isPresent() && !head.hasTransferEncoding()) {
                // HEAD tells the length a GET would have; the client must not wait for that body
                res.header(HeaderNames.CONTENT_LENGTH, Long.toString(length.getAsLong()));
            }
            finishWithoutBody(conn, pump, reusable);
            return;
        }
        InputStream body;
        if (head.hasTransferEncoding()) {
            if (head.chunked()) {
                body = new ChunkedInputStream(conn.in());
            } else {
                body = conn.in(); // body ends when the container closes
                reusable = false;
            }
        } else if (length.isPresent() && length.getAsLong() <= SMALL_BODY && !sse) {
            sendSmall(conn, pump, (int) length.getAsLong(), reusable);
            return;
        } else if (length.isPresent()) {
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(length.getAsLong()));
            body = new FixedLengthInputStream(conn.in(), length.getAsLong());
        } else {
            body = conn.in(); // no framing: the body ends when the container closes
            reusable = false;
        }
        // a buffer per response: no larger than the body when its length is known (most answers are small)
        int buffer = length.isPresent() && !head.hasTransferEncoding()
                ? (int) Math.max(512, Math.min(RELAY_BUFFER, length.getAsLong())) : RELAY_BUFFER;
        relayBody(conn, pump, body, sse, reusable, buffer);
    }

    /**
     * A small body of known length (most JSON answers) is read, then sent in one call: Helidon writes head and
     * body together, without its streaming machinery. Bounded by {@link #SMALL_BODY}, not by what the
     * container sends.
     */
    private void sendSmall(UpstreamConnection conn, RequestBodyPump pump, int length, boolean reusable) {
        byte[] body = new byte[length];
        int read = 0;
        try {
            while (read < length) {
                Duration left = Duration.between(ctx.clock().instant(), ex.deadline());
                if (left.isNegative() || left.isZero()) {
                    throw new SocketTimeoutException("request timeout");
                }
                conn.readTimeout(left);
                int n = conn.in().read(body, read, length - read);
                if (n < 0) {
                    throw new java.io.EOFException("upstream closed inside the body");
                }
                read += n;
            }
        } catch (IOException e) {
            // nothing was sent yet: the client gets an honest error instead of a short body
            pool.abort(conn);
            stop(pump);
            ex.res().headers().clear();
            ex.fail(e instanceof SocketTimeoutException ? PlatformError.UPSTREAM_TIMEOUT
                            : PlatformError.UPSTREAM_UNREACHABLE,
                    "The function instance failed while sending its response.");
            return;
        }
        try {
            ex.res().send(body);
            ex.ended(InvocationRecord.Outcome.COMPLETED, length);
        } catch (UncheckedIOException e) {
            ex.ended(InvocationRecord.Outcome.CLIENT_GONE, 0);
            reusable = false;
        }
        release(conn, pump, reusable);
    }

    private void finishWithoutBody(UpstreamConnection conn, RequestBodyPump pump, boolean reusable) {
        try {
            ex.res().send();
        } catch (UncheckedIOException e) {
            ex.ended(InvocationRecord.Outcome.CLIENT_GONE, 0);
        }
        release(conn, pump, reusable);
    }

    private void relayBody(UpstreamConnection conn, RequestBodyPump pump, InputStream body, boolean sse,
                           boolean reusable, int bufferSize) {
        // the watch aborts the upstream when the client leaves: the relay's blocked read then fails at once.
        // A small fixed-length body fits in the socket buffers: its write cannot stall, so it is not watched.
        ClientWatch watch = sse || bufferSize == RELAY_BUFFER
                ? ClientWatch.start(ex.req(), ex.res(), sse, ctx.settings().clientWriteTimeout(), () -> pool.abort(conn))
                : ClientWatch.NONE;
        OutputStream out;
        RelayResult result;
        try {
            try {
                out = watch.wrap(ex.res().outputStream());
            } catch (UncheckedIOException e) {
                pool.abort(conn);
                stop(pump);
                ex.ended(InvocationRecord.Outcome.CLIENT_GONE, 0);
                return;
            }
            result = BodyRelay.builder()
                    .clock(ctx.clock())
                    .deadline(ex.deadline())
                    .eventStream(sse)
                    .keepAlive(ctx.settings().sseKeepAlive())
                    .readTimeout(conn::readTimeout)
                    .bufferSize(bufferSize)
                    .build()
                    .relay(body, out);
        } finally {
            watch.close(); // before the response ends: a finished HTTP/2 stream is CLOSED too
        }
        RelayResult.Outcome outcome = watch.gone() ? RelayResult.Outcome.CLIENT_GONE : result.outcome();
        switch (outcome) {
        case COMPLETED -> {
            if (!closeQuietly(out)) {
                pool.abort(conn);
                stop(pump);
                ex.ended(InvocationRecord.Outcome.CLIENT_GONE, result.bytes());
                return;
            }
            ex.ended(InvocationRecord.Outcome.COMPLETED, result.bytes());
            release(conn, pump, reusable);
        }
        case DEADLINE -> {
            pool.abort(conn);
            stop(pump);
            ex.ended(InvocationRecord.Outcome.DEADLINE, result.bytes());
            if (sse && closeQuietly(out)) {
                ex.log("event stream ended at the request timeout");
                return; // a clean end of the event stream
            }
            ex.abortClient("request timeout reached inside a response body");
        }
        case CLIENT_GONE -> {
            pool.abort(conn);
            stop(pump);
            ex.ended(InvocationRecord.Outcome.CLIENT_GONE, result.bytes());
        }
        case UPSTREAM_FAILED -> {
            pool.abort(conn);
            stop(pump);
            ex.ended(InvocationRecord.Outcome.UPSTREAM_FAILED, result.bytes());
            ex.abortClient("upstream failed inside a response body");
        }
        default -> throw new IllegalStateException(result.outcome().name());
        }
    }

    /** Returns the connection to the pool only when both directions of the exchange ended cleanly. */
    private void release(UpstreamConnection conn, RequestBodyPump pump, boolean reusable) {
        boolean bodySent = pump == null || pump.state() == RequestBodyPump.State.DONE;
        if (reusable && bodySent) {
            pool.release(conn);
        } else {
            pool.abort(conn);
        }
        stop(pump);
    }

    private void exposeRequestId(ResponseHead head) {
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

    private static void stop(RequestBodyPump pump) {
        if (pump != null) {
            pump.stop();
        }
    }

    private static String reasonFor(int code) {
        try {
            return Status.create(code).reasonPhrase();
        } catch (RuntimeException e) {
            return "";
        }
    }
}
