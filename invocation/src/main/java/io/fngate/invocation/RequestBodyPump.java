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
final class RequestBodyPump implements Runnable {
    enum State { RUNNING, DONE, TOO_LARGE, CLIENT_GONE, UPSTREAM_GONE }

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
                try {
                    n = from.read(buf);
                } catch (IOException | RuntimeException e) {
                    // Helidon reports a departed client as IOException or an unchecked data-reader exception
                    end(State.CLIENT_GONE);
                    return;
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

    private void finish(State s) {
        finishedAt = clock.instant();
        state = s;
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
