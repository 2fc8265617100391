package io.fngate.invocation;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The request leg of one exchange: connect (or reuse) to the leased instance, send the head and the body (a
 * small one with the head, a large or chunked one through a {@link RequestBodyPump}), and await the response
 * head under the response-start timeout. Returns that head, or throws {@link InvocationFailure} /
 * {@link ClientGone}; it never writes to the client.
 * <p>
 * Retries: a connect failure (nothing was sent) moves to another instance through the exchange's lease; a
 * reused keep-alive connection that turns out closed before any response byte is retried once on a fresh one
 * when the body can be sent again.
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
    /** Whether a container still silent at the poll time hands the request over ({@link StillRunning}). */
    private final boolean async;
    /** A small body of known length, read before sending so it can be sent again; null when streamed. */
    private byte[] replayable;

    Upstream(Exchange ex, Duration responseStart, OptionalLong declared, boolean hasBody, boolean async) {
        this.async = async;
        this.ex = ex;
        this.ctx = ex.ctx();
        this.pool = ctx.pool();
        this.responseStart = responseStart;
        this.declared = declared;
        this.hasBody = hasBody;
    }

    UpstreamStart start() {
        if (hasBody && declared.isPresent() && declared.getAsLong() <= REPLAYABLE_BODY) {
            // Small bodies are read now, after admission (a queued request's body waits in the socket) and
            // before connecting (a client that left is noticed before the container sees anything). Head and
            // body then leave in one write, and can be sent again on a fresh connection.
            SmallBody body = SmallBody.start("fngate-body-" + ex.id(), ex.req().content().inputStream(),
                    (int) declared.getAsLong());
            ex.readingBody(body);
            replayable = body.await(ctx.settings().requestBodyTimeout());
        }
        boolean staleRetried = false;
        int connectFailures = 0;
        while (true) {
            UpstreamConnection conn;
            try {
                // after one stale retry, every further pooled connection is checked: the retry is spent
                conn = pool.acquire(ex.lease().instance(), !staleRetried && (!hasBody || replayable != null));
            } catch (UpstreamPool.Exhausted e) {
                // the gateway's own limit, not the instance's failure: no retry elsewhere, no ejection
                throw new InvocationFailure(PlatformError.NO_CAPACITY, "Every connection to the chosen instance "
                        + "is busy (invocation.max-connections-per-instance).");
            } catch (IOException e) {
                if (outOfFiles(e)) { // the gateway's own exhaustion: no instance is to blame
                    throw new InvocationFailure(PlatformError.OVERLOADED,
                            "The gateway is out of connections; retry later.");
                }
                ex.upstreamFailed(e instanceof SocketTimeoutException ? UpstreamFailure.TIMEOUT
                        : UpstreamFailure.REFUSED);
                // nothing was sent: another instance may take the request
                if (ex.retryElsewhere(++connectFailures)) {
                    continue;
                }
                throw new InvocationFailure(PlatformError.UPSTREAM_UNREACHABLE,
                        "Could not connect to an instance of the function.");
            }
            ex.upstream(conn);
            ex.connected();
            RequestBodyPump pump = null;
            HeadReader reader = new HeadReader();
            try {
                try {
                    conn.out().write(RequestHeadWriter.write(ex.req(), ex.lease(), ex.id(), ex.clientAddress(),
                            ctx.settings().trustedProxies(), declared, hasBody && declared.isEmpty(), ex.trace(),
                            ex.pexec(), responseStart, ctx.settings().maxResponseSize()));
                    if (replayable != null) {
                        conn.out().write(replayable);
                    }
                    conn.out().flush();
                    Instant sentAt = ctx.clock().instant();
                    if (hasBody && replayable == null) {
                        pump = RequestBodyPump.start("fngate-body-" + ex.id(), ex.req().content().inputStream(),
                                conn, pool, declared, ctx.settings().maxBodyBytes(), ctx.clock());
                        ctx.watcher().watchBody(pump);
                    }
                    ex.requestBody(replayable == null ? 0 : replayable.length, pump);
                    return new UpstreamStart(awaitHead(conn, reader, pump, sentAt), conn, pump);
                } catch (SocketTimeoutException e) {
                    pool.abort(conn);
                    stop(pump);
                    ex.upstreamFailed(UpstreamFailure.TIMEOUT);
                    throw new InvocationFailure(PlatformError.UPSTREAM_TIMEOUT,
                            "The function did not start its response in time.");
                } catch (UpstreamProtocolException e) {
                    pool.abort(conn);
                    stop(pump);
                    ex.upstreamFailed(UpstreamFailure.PROTOCOL);
                    throw new InvocationFailure(PlatformError.UPSTREAM_PROTOCOL,
                            "The function instance sent an invalid HTTP response.");
                } catch (IOException e) {
                    pool.abort(conn);
                    if (pump != null && pump.state() == RequestBodyPump.State.MALFORMED) {
                        stop(pump);
                        throw new InvocationFailure(PlatformError.MALFORMED_BODY,
                                "The request body is not valid chunked encoding.");
                    }
                    if (pump != null && pump.state() == RequestBodyPump.State.TIMED_OUT) {
                        // not stopped: the pump is blocked on the client, whose 408 must go out before its
                        // connection closes; the exchange ends both after answering
                        ex.readingBody(pump);
                        throw new InvocationFailure(PlatformError.REQUEST_BODY_TIMEOUT, "The request body stopped "
                                + "arriving: nothing for " + ctx.settings().requestBodyTimeout().toSeconds() + " s.");
                    }
                    stop(pump);
                    if (pump != null && pump.state() == RequestBodyPump.State.TOO_LARGE) {
                        throw new InvocationFailure(PlatformError.BODY_TOO_LARGE,
                                "The request body exceeds " + ctx.settings().maxBodyBytes() + " bytes.");
                    }
                    if (pump != null && pump.state() == RequestBodyPump.State.CLIENT_GONE) {
                        throw new ClientGone("client went away while sending its request body");
                    }
                    ex.upstreamFailed(UpstreamFailure.RESET);
                    if (!staleRetried && conn.reused() && pump == null && !reader.started()) {
                        staleRetried = true;
                        ex.retriedFresh();
                        continue; // the container closed an idle keep-alive connection as we reused it
                    }
                    throw new InvocationFailure(PlatformError.UPSTREAM_UNREACHABLE,
                            "The function instance closed the connection before responding.");
                }
            } catch (InvocationFailure | ClientGone | StillRunning e) {
                // the connection and the pump were dealt with where it was thrown, or are handed over
                throw e;
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
            boolean pollTime = true;
            if (limit.isAfter(ex.deadline())) {
                limit = ex.deadline();
                pollTime = false;
            }
            Duration left = Duration.between(now, limit);
            if (left.isNegative() || left.isZero()) {
                if (async && pollTime) {
                    throw new StillRunning(conn, reader, pump); // the whole request went; the container works on
                }
                throw new SocketTimeoutException("response start timeout");
            }
            if (bodyRunning && left.compareTo(BODY_POLL) > 0) {
                conn.readTimeout(BODY_POLL);
            } else if (async && pollTime) {
                conn.readTimeout(left); // the connection outlives this timeout: it goes on to the 202's poll
            } else {
                pool.expireReads(conn, left); // this timeout is the end: 504, the connection is aborted
            }
            try {
                return reader.read(conn.in());
            } catch (SocketTimeoutException e) {
                // loop: the limit moves while the body is still being sent
            }
        }
    }

    /** Whether opening a socket failed because this process has no file descriptor left (EMFILE, ENFILE). */
    static boolean outOfFiles(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Too many open files") || m.contains("Too many open files in system"))) {
                return true;
            }
        }
        return false;
    }

    static void stop(RequestBodyPump pump) {
        if (pump != null) {
            pump.stop();
        }
    }
}
