package io.fngate.invocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Copies the client's request body to the container on its own virtual thread, so the handler's thread can
 * read the response at the same time (full duplex: an upstream that echoes while it reads never deadlocks).
 * <p>
 * Over the body limit, or when the client goes away, the pump aborts the upstream connection without
 * finishing the body: a chunked body then lacks its last chunk and a fixed-length one its last bytes, so the
 * container never takes a truncated body for a complete one.
 */
final class RequestBodyPump implements Runnable, BodyReader {
    enum State { RUNNING, DONE, TOO_LARGE, CLIENT_GONE, UPSTREAM_GONE, TIMED_OUT, MALFORMED }

    private static final int BUFFER = 64 * 1024;

    private final InputStream from;
    private final UpstreamConnection connection;
    private final UpstreamPool pool;
    private final boolean chunked;
    private final int bufferSize;
    private final long maxBytes;
    private final Clock clock;
    private volatile State state = State.RUNNING;
    private volatile Instant finishedAt;
    /** {@link System#nanoTime()} when a read of the client's body began; 0 while not reading. */
    private volatile long readingSince;
    /** Body bytes written upstream so far (observability). */
    private volatile long sent;
    private Thread thread;

    private RequestBodyPump(InputStream from, UpstreamConnection connection, UpstreamPool pool, OptionalLong declared,
                            long maxBytes, Clock clock) {
        this.from = from;
        this.connection = connection;
        this.pool = pool;
        this.chunked = declared.isEmpty();
        // no larger than a declared body: most request bodies are small JSON
        this.bufferSize = declared.isPresent() ? (int) Math.max(512, Math.min(BUFFER, declared.getAsLong())) : BUFFER;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /**
     * @param declared the client's Content-Length; without one the body goes upstream chunked
     */
    static RequestBodyPump start(String name, InputStream from, UpstreamConnection connection, UpstreamPool pool,
                                 OptionalLong declared, long maxBytes, Clock clock) {
        RequestBodyPump pump = new RequestBodyPump(from, connection, pool, declared, maxBytes, clock);
        pump.thread = Thread.ofVirtual().name(name).start(pump);
        return pump;
    }

    @Override
    public void run() {
        OutputStream upstream = chunked ? new ChunkedOutputStream(connection.out()) : connection.out();
        byte[] buf = new byte[bufferSize];
        long total = 0;
        try {
            while (true) {
                int n;
                readingSince = System.nanoTime();
                try {
                    n = from.read(buf);
                } catch (IOException | RuntimeException e) {
                    // Helidon reports a departed client as IOException or an unchecked data-reader exception; the
                    // edge reports a body that breaks its chunked framing
                    end(io.fngate.edge.Edge.isMalformedBody(e) ? State.MALFORMED : State.CLIENT_GONE);
                    return;
                } finally {
                    readingSince = 0;
                }
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > maxBytes) {
                    end(State.TOO_LARGE);
                    return;
                }
                upstream.write(buf, 0, n);
                upstream.flush();
                sent = total;
            }
            if (chunked) {
                ((ChunkedOutputStream) upstream).finish();
            } else {
                upstream.flush();
            }
            finish(State.DONE);
        } catch (IOException e) {
            // the container closed or reset; the handler learns what it answered, if anything
            finish(State.UPSTREAM_GONE);
        }
    }

    private void end(State reason) {
        pool.abort(connection); // wakes the handler's blocked read
        finish(reason);
    }

    private synchronized void finish(State s) {
        if (state != State.RUNNING) {
            return; // the first reason stands (a timed-out body then fails to read: it stays timed out)
        }
        finishedAt = clock.instant();
        state = s;
    }

    /**
     * Called by the watcher's ticker: a client that has sent nothing of its body for longer than {@code timeout}
     * ends the body as {@link State#TIMED_OUT}, and the upstream request is aborted (the container's slot is
     * freed; the handler then answers 408). Time blocked writing to a slow container does not count.
     */
    void checkStall(long nowNanos, long timeoutNanos) {
        long since = readingSince;
        if (since != 0 && nowNanos - since > timeoutNanos && state == State.RUNNING) {
            finish(State.TIMED_OUT);
            pool.abort(connection);
        }
    }

    /** Body bytes written upstream so far. */
    long bytesSent() {
        return sent;
    }

    State state() {
        return state;
    }

    /**
     * @return when the body ended (successfully or not); empty while still running
     */
    Optional<Instant> finishedAt() {
        return state == State.RUNNING ? Optional.empty() : Optional.ofNullable(finishedAt);
    }

    boolean running() {
        return state == State.RUNNING;
    }

    /**
     * @return whether the pump has ended within {@code max}
     */
    boolean awaitEnd(java.time.Duration max) throws InterruptedException {
        return thread.join(max);
    }

    @Override
    public void wake() {
        thread.interrupt();
    }

    /**
     * Waits for the pump to end; the caller has already aborted the connection when the body is not wanted.
     * A pump still blocked reading a silent client is interrupted (which closes that client connection).
     */
    void stop() {
        try {
            thread.join(2000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
