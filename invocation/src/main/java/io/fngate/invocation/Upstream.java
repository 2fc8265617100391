package io.fngate.invocation;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The request leg of one exchange: connect (or reuse), send the head and the body (a small one with the head,
 * a large or chunked one through a {@link RequestBodyPump}), await the response head under the response-start
 * timeout, retry once on a fresh connection when a reused one was stale, then hand over to {@link ResponseLeg}.
 */
final class Upstream {
    /** While the body is still being sent, the response-start clock has not started: re-check this often. */
    private static final Duration BODY_POLL = Duration.ofMillis(500);
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
                new ResponseLeg(ex, conn, pump).relay(head);
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

    static void stop(RequestBodyPump pump) {
        if (pump != null) {
            pump.stop();
        }
    }
}
