package io.fngate.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
 * line ({@code : keep-alive}) is written, only between events. Those writes are also what notices a client
 * that went away while the container is silent. Any other body whose upstream is silent longer than the idle
 * timeout ends as stalled (a container that hangs mid-body must not hold the exchange until the deadline).
 * <p>
 * Backpressure: one buffer per relay; a slow client blocks the write, which stops reads, which fills the
 * upstream socket's window, which blocks the container. Memory per stream is the buffer size.
 * <p>
 * Not responsible for closing either stream or for what a failure means: the caller decides.
 */
public final class BodyRelay {
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private final Instant deadline;
    private final Duration keepAlive;
    private final Duration idleTimeout;
    private final boolean eventStream;
    private final int bufferSize;
    private final Consumer<Duration> readTimeout;
    private final RelayObserver observer;

    private BodyRelay(Builder b) {
        this.clock = b.clock;
        this.deadline = Objects.requireNonNull(b.deadline, "deadline");
        this.keepAlive = b.keepAlive;
        this.idleTimeout = b.idleTimeout;
        this.eventStream = b.eventStream;
        this.bufferSize = b.bufferSize;
        this.readTimeout = b.readTimeout;
        this.observer = b.observer;
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
     * @param to   client body
     * @return how the relay ended; never throws for I/O failures
     */
    public RelayResult relay(InputStream from, OutputStream to) {
        byte[] buf = new byte[bufferSize];
        EventBoundary boundary = new EventBoundary();
        long bytes = 0;
        while (true) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return finish(to, RelayResult.Outcome.DEADLINE, bytes);
            }
            // an event stream waits a keep-alive interval at a time; any other body its idle timeout
            Duration silence = eventStream ? keepAlive : idleTimeout;
            boolean untilDeadline = silence.compareTo(left) >= 0;
            readTimeout.accept(untilDeadline ? left : silence);
            int n;
            try {
                n = from.read(buf);
            } catch (SocketTimeoutException idle) {
                if (untilDeadline) {
                    continue; // the loop head sees the deadline
                }
                if (!eventStream) {
                    return new RelayResult(RelayResult.Outcome.UPSTREAM_STALLED, bytes);
                }
                if (boundary.betweenEvents()) {
                    try {
                        to.write(KEEP_ALIVE);
                        to.flush();
                    } catch (IOException e) {
                        return new RelayResult(RelayResult.Outcome.CLIENT_GONE, bytes);
                    }
                }
                continue;
            } catch (IOException e) {
                return new RelayResult(RelayResult.Outcome.UPSTREAM_FAILED, bytes);
            }
            if (n < 0) {
                return finish(to, RelayResult.Outcome.COMPLETED, bytes);
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
            } catch (IOException e) {
                return new RelayResult(RelayResult.Outcome.CLIENT_GONE, bytes);
            }
        }
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
         *                    source must then throw {@link SocketTimeoutException} and stay usable
         * @return this
         */
        public Builder readTimeout(Consumer<Duration> readTimeout) {
            this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
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
