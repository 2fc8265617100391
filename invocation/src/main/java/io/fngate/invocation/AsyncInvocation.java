package io.fngate.invocation;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fngate.routing.Lease;

/**
 * An invocation answered {@code 202}: the container keeps working on a connection this object now owns. A
 * virtual thread of its own reads the response head (until the request deadline) and the body into a
 * {@link ResultBody}, then gives the connection back and the instance's slot up; the result waits for its poll.
 * <p>
 * Ends exactly once ({@link #settled}): completed, failed, or cancelled (unpolled, shutdown), whichever comes
 * first; a cancel resets the upstream connection, which wakes the reading thread. Not responsible for who may
 * poll or for how long a result is kept ({@link AsyncResults}), nor for answering the client ({@link StatusPoll}).
 */
final class AsyncInvocation {
    private final UUID id;
    private final UUID owner;
    private final UUID functionId;
    private final UUID versionId;
    private final Lease lease;
    private final UpstreamConnection conn;
    private final HeadReader reader;
    private final RequestBodyPump pump;
    private final Instant deadline;
    private final boolean headRequest;
    private final UpstreamPool pool;
    private final Clock clock;
    private final Duration idleTimeout;
    private final ResultBody body;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    /** When the result is cancelled unless polled again; moved by every poll. */
    private volatile Instant pollBy;

    /** How the invocation ended. */
    sealed interface Outcome permits Response, Failure {
    }

    /**
     * The container's answer.
     *
     * @param status  status code
     * @param reason  reason phrase
     * @param headers headers to relay (hop-by-hop, framing and {@code nvcf-*} ones already dropped)
     * @param body    the body
     */
    record Response(int status, String reason, List<ResponseHead.Line> headers, ResultBody body) implements Outcome {
    }

    /**
     * A platform error in place of the answer.
     *
     * @param error  the kind
     * @param detail the problem detail
     */
    record Failure(PlatformError error, String detail) implements Outcome {
    }

    AsyncInvocation(UUID id, UUID owner, Lease lease, StillRunning running, Instant deadline, boolean headRequest,
                    InvocationHandler ctx, ResultBody body, Instant pollBy) {
        this.id = id;
        this.owner = owner;
        this.functionId = lease.function().id();
        this.versionId = lease.version().id();
        this.lease = lease;
        this.conn = running.connection();
        this.reader = running.reader();
        this.pump = running.pump();
        this.deadline = deadline;
        this.headRequest = headRequest;
        this.pool = ctx.pool();
        this.clock = ctx.clock();
        this.idleTimeout = ctx.settings().responseIdleTimeout();
        this.body = body;
        this.pollBy = pollBy;
    }

    void start() {
        Thread.ofVirtual().name("fngate-async-" + id).start(this::run);
    }

    private void run() {
        try {
            ResponseHead head = readHead();
            if (head.status() == 101) {
                throw new UpstreamProtocolException("the function switched protocols");
            }
            boolean reusable = readBody(head);
            body.finish();
            if (settled.compareAndSet(false, true)) {
                if (reusable && !head.connectionClose()) {
                    pool.release(conn);
                } else {
                    pool.abort(conn);
                }
                Upstream.stop(pump);
                lease.report(Lease.Result.SUCCESS);
                lease.close();
                done.complete(new Response(head.status(), head.reason(), relayed(head), body));
            } else {
                body.discard();
            }
        } catch (SocketTimeoutException e) {
            fail(PlatformError.UPSTREAM_TIMEOUT, "The function did not complete its response in time.", false);
        } catch (ResultBody.TooLarge e) {
            fail(PlatformError.RESULT_TOO_LARGE, "The function's response is larger than the largest result held ("
                    + e.getMessage() + ").", false);
        } catch (UpstreamProtocolException | IllegalArgumentException e) {
            fail(PlatformError.UPSTREAM_PROTOCOL, "The function instance sent an invalid HTTP response.", true);
        } catch (IOException | RuntimeException e) {
            fail(PlatformError.UPSTREAM_UNREACHABLE, "The function instance failed before completing its response.",
                    true);
        }
    }

    private ResponseHead readHead() throws IOException {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new SocketTimeoutException("request timeout");
        }
        conn.readTimeout(left); // the head reader resumes with what it had read before the 202
        return reader.read(conn.in());
    }

    /** @return whether the body ended by its framing (the connection may be reused) */
    private boolean readBody(ResponseHead head) throws IOException {
        int code = head.status();
        OptionalLong length = head.contentLength();
        if (headRequest || code == 204 || code == 304) {
            return false; // some servers send a body anyway: the connection is not reused
        }
        InputStream in;
        boolean reusable = true;
        if (head.hasTransferEncoding()) {
            in = head.chunked() ? new ChunkedInputStream(conn.in()) : conn.in();
            reusable = head.chunked();
        } else if (length.isPresent()) {
            in = new FixedLengthInputStream(conn.in(), length.getAsLong());
        } else {
            in = conn.in();
            reusable = false;
        }
        byte[] buf = new byte[16 * 1024];
        while (true) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new SocketTimeoutException("request timeout");
            }
            conn.readTimeout(idleTimeout.compareTo(left) < 0 ? idleTimeout : left);
            int n = in.read(buf);
            if (n < 0) {
                if (length.isPresent() && !head.hasTransferEncoding() && body.size() < length.getAsLong()) {
                    throw new EOFException("upstream closed inside the body");
                }
                return reusable;
            }
            body.write(buf, 0, n);
        }
    }

    private static List<ResponseHead.Line> relayed(ResponseHead head) {
        Set<String> listed = HeaderPolicy.connectionListed(head.values("connection"));
        List<ResponseHead.Line> kept = new ArrayList<>(head.headers().size());
        for (ResponseHead.Line line : head.headers()) {
            if (HeaderPolicy.forwardResponseHeader(line.lowerName(), listed)) {
                kept.add(line);
            }
        }
        return kept;
    }

    private void fail(PlatformError error, String detail, boolean instanceFault) {
        if (settled.compareAndSet(false, true)) {
            pool.abort(conn);
            Upstream.stop(pump);
            if (instanceFault) {
                lease.report(Lease.Result.FAILURE);
            }
            lease.close();
            body.discard();
            done.complete(new Failure(error, detail));
        } else {
            body.discard(); // cancelled meanwhile: the cancel said what the result is
        }
    }

    /**
     * Ends the invocation unless it already ended: the container's connection is reset (it sees the request
     * go away), the slot is freed, any result dropped.
     *
     * @return whether this call ended it (false: it had ended by itself)
     */
    boolean cancel() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        pool.abort(conn);
        Upstream.stop(pump);
        lease.close();
        body.discard();
        done.complete(new Failure(PlatformError.REQUEST_NOT_FOUND, "The request was cancelled."));
        return true;
    }

    /**
     * Waits for the end of the invocation.
     *
     * @param wait the longest wait
     * @return the outcome, or empty when still running after {@code wait}
     */
    Optional<Outcome> await(Duration wait) throws InterruptedException {
        try {
            return Optional.of(done.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** @return whether the invocation ended (its outcome waits for delivery) */
    boolean ended() {
        return done.isDone();
    }

    /**
     * Takes the right to deliver the result; only one poll gets it.
     *
     * @return whether this caller got it
     */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Gives the right back: delivery failed before the client got the answer. */
    void unclaim() {
        claimed.set(false);
    }

    boolean claimed() {
        return claimed.get();
    }

    /** Drops what the result holds (after delivery, or when it expired). */
    void discard() {
        if (!cancel()) {
            body.discard();
        }
    }

    Optional<String> progress() {
        return reader.progress();
    }

    void pollBy(Instant until) {
        pollBy = until;
    }

    Instant pollBy() {
        return pollBy;
    }

    UUID id() {
        return id;
    }

    UUID owner() {
        return owner;
    }

    UUID functionId() {
        return functionId;
    }

    UUID versionId() {
        return versionId;
    }
}
