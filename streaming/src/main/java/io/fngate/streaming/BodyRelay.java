package io.fngate.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Copies a response body from the upstream to the client as it arrives.
 * <p>
 * Flush policy: after each write, flush when the upstream has nothing more ready ({@code available() == 0}).
 * Bytes that arrive together leave together; a lone event or chunk is never held back waiting for the next.
 * Nothing is reformatted, compressed or batched beyond that.
 * <p>
 * For {@code text/event-stream} bodies, when the upstream is silent for the keep-alive interval, a comment
 * line ({@code : keep-alive}) is written, only between events, by the {@link RelayTicker} (the relay's own
 * reads wait with no timer but the deadline). Those writes are also what notices a client that went away while
 * the container is silent: the upstream is then aborted, which ends the relay's read. Any other body whose
 * upstream is silent longer than the idle timeout ends as stalled (a container that hangs mid-body must not hold
 * the exchange until the deadline).
 * <p>
 * Backpressure: one buffer per relay; a slow client blocks the write, which stops reads, which fills the
 * upstream socket's window, which blocks the container. Memory per stream is the buffer size; an event stream,
 * which mostly waits, holds none while it waits: it reads the first byte alone, then borrows a buffer from a
 * shared pool for what is ready behind it, and gives it back once written.
 * <p>
 * Not responsible for closing either stream or for what a failure means: the caller decides.
 */
public final class BodyRelay {
    private final Clock clock;
    private final Instant deadline;
    private final Duration keepAlive;
    private final Duration idleTimeout;
    private final boolean eventStream;
    private final int bufferSize;
    private final Consumer<Duration> readTimeout;
    private final RelayObserver observer;
    private final RelayTicker ticker;
    private final Runnable abortUpstream;

    private BodyRelay(Builder b) {
        this.clock = b.clock;
        this.deadline = Objects.requireNonNull(b.deadline, "deadline");
        this.keepAlive = b.keepAlive;
        this.idleTimeout = b.idleTimeout;
        this.eventStream = b.eventStream;
        this.bufferSize = b.bufferSize;
        this.readTimeout = b.readTimeout;
        this.observer = b.observer;
        this.ticker = b.ticker;
        this.abortUpstream = b.abortUpstream;
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Relays until the upstream body ends, the deadline passes or either side fails.
     *
     * @param from upstream body; its reads must honour the timeout set through the builder's read-timeout hook
     * @param to   client body; it must not keep an array after its {@code write} returns (event streams write
     *             from pooled buffers)
     * @return how the relay ended; never throws for I/O failures
     */
    public RelayResult relay(InputStream from, OutputStream to) {
        // an event stream spends its life waiting: it waits without a buffer and borrows one once bytes came
        byte[] own = eventStream ? null : new byte[bufferSize];
        EventBoundary boundary = new EventBoundary();
        RelayTicker.Silence silence = eventStream && ticker != null
                ? ticker.watch(to, boundary, keepAlive.toNanos(), abortUpstream) : null;
        long bytes = 0;
        RelayResult.Outcome outcome;
        try {
            while (true) {
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    outcome = RelayResult.Outcome.DEADLINE;
                    break;
                }
                // an event stream's read waits until the deadline (the ticker fills its silences); any other
                // body's its idle timeout
                boolean untilDeadline = eventStream || idleTimeout.compareTo(left) >= 0;
                readTimeout.accept(untilDeadline ? left : idleTimeout);
                byte[] buf = own;
                int n;
                try {
                    if (own != null) {
                        n = from.read(own);
                    } else {
                        int first = from.read(); // waits holding no buffer
                        if (first >= 0) {
                            buf = EventBuffers.take(bufferSize);
                            buf[0] = (byte) first;
                        }
                        n = first < 0 ? -1 : 1 + readReady(from, buf);
                    }
                } catch (SocketTimeoutException idle) {
                    EventBuffers.give(buf, own);
                    if (untilDeadline) {
                        outcome = RelayResult.Outcome.DEADLINE; // the read waited until the deadline
                        break;
                    }
                    return new RelayResult(RelayResult.Outcome.UPSTREAM_STALLED, bytes);
                } catch (IOException e) {
                    EventBuffers.give(buf, own);
                    return new RelayResult(silence != null && silence.clientGone() ? RelayResult.Outcome.CLIENT_GONE
                            : RelayResult.Outcome.UPSTREAM_FAILED, bytes);
                }
                if (n < 0) {
                    outcome = RelayResult.Outcome.COMPLETED;
                    break;
                }
                if (silence != null) {
                    silence.lock.lock();
                }
                try {
                    to.write(buf, 0, n);
                    bytes += n;
                    observer.relayed(buf, 0, n);
                    if (eventStream) {
                        boundary.accept(buf, 0, n);
                    }
                    if (nothingReady(from)) {
                        to.flush();
                    }
                    if (silence != null) {
                        silence.wrote(System.nanoTime());
                    }
                } catch (IOException e) {
                    return new RelayResult(RelayResult.Outcome.CLIENT_GONE, bytes);
                } finally {
                    if (silence != null) {
                        silence.lock.unlock();
                    }
                    EventBuffers.give(buf, own);
                }
            }
        } finally {
            if (silence != null) {
                silence.end(); // before the last flush: the caller may close the stream once we return
            }
        }
        return finish(to, outcome, bytes);
    }

    /**
     * After the first byte: what the source already holds, up to the buffer's end. A read bounded by
     * {@code available()} does not wait, so the borrowed buffer goes back as soon as it is written.
     */
    private static int readReady(InputStream from, byte[] buf) throws IOException {
        int ready = from.available();
        if (ready <= 0) {
            return 0;
        }
        int n = from.read(buf, 1, Math.min(ready, buf.length - 1));
        return Math.max(n, 0); // the end, if it came, is read again by the next round
    }

    private static boolean nothingReady(InputStream from) {
        try {
            return from.available() == 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static RelayResult finish(OutputStream to, RelayResult.Outcome outcome, long bytes) {
        try {
            to.flush();
            return new RelayResult(outcome, bytes);
        } catch (IOException e) {
            return new RelayResult(RelayResult.Outcome.CLIENT_GONE, bytes);
        }
    }

    /**
     * Builds a {@link BodyRelay}.
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Instant deadline;
        private Duration keepAlive = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofDays(365);
        private boolean eventStream;
        private int bufferSize = 16 * 1024;
        private Consumer<Duration> readTimeout = d -> { };
        private RelayObserver observer = RelayObserver.NONE;
        private RelayTicker ticker;
        private Runnable abortUpstream = () -> { };

        private Builder() {
        }

        /**
         * @param clock clock for the deadline
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param deadline instant at which the relay ends cleanly (the global request timeout)
         * @return this
         */
        public Builder deadline(Instant deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /**
         * @param eventStream whether the body is {@code text/event-stream} (enables keep-alive comments)
         * @return this
         */
        public Builder eventStream(boolean eventStream) {
            this.eventStream = eventStream;
            return this;
        }

        /**
         * @param keepAlive silence after which a keep-alive comment is written to an event stream
         * @return this
         */
        public Builder keepAlive(Duration keepAlive) {
            if (keepAlive.isNegative() || keepAlive.isZero()) {
                throw new IllegalArgumentException("keepAlive: " + keepAlive + " (expected: > 0)");
            }
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * @param idleTimeout silence from the upstream after which a body that is not an event stream ends as
         *                    {@link RelayResult.Outcome#UPSTREAM_STALLED} (default: none)
         * @return this
         */
        public Builder idleTimeout(Duration idleTimeout) {
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * @param bufferSize copy buffer size in bytes
         * @return this
         */
        public Builder bufferSize(int bufferSize) {
            if (bufferSize < 1) {
                throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected: > 0)");
            }
            this.bufferSize = bufferSize;
            return this;
        }

        /**
         * @param readTimeout called before every upstream read with how long that read may block; the
         *                    source must then throw {@link SocketTimeoutException}. The relay reads no more
         *                    after one, so the source need not stay usable
         * @return this
         */
        public Builder readTimeout(Consumer<Duration> readTimeout) {
            this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
            return this;
        }

        /**
         * @param ticker        writes the keep-alive comments of an event stream (without one, an event stream
         *                      gets none)
         * @param abortUpstream ends the relay's blocked upstream read at once; run when a keep-alive comment
         *                      finds the client gone
         * @return this
         */
        public Builder keepAliveBy(RelayTicker ticker, Runnable abortUpstream) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            this.abortUpstream = Objects.requireNonNull(abortUpstream, "abortUpstream");
            return this;
        }

        /**
         * @param observer sees every relayed chunk of the body (metrics); not told how the relay ended, the
         *                 caller is
         * @return this
         */
        public Builder observer(RelayObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * @return the relay
         */
        public BodyRelay build() {
            return new BodyRelay(this);
        }
    }
}
