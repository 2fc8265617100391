package io.fngate.streaming;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the keep-alive comments of the event streams relayed at the moment: one platform thread that looks at
 * every stream each tick, and has the comment written, by a virtual thread of its own, to a stream whose upstream
 * has sent nothing for the keep-alive interval.
 * <p>
 * Why not a read timeout on each stream: on a virtual thread, a read with a timeout that has to wait (an event
 * stream's reads almost always do) schedules a timer task in the JDK and cancels it when the data comes. That is
 * two wake-ups of the JDK's timer thread, with a thread switch each, per event. Here the relay's reads wait
 * without a timer, and the cost is one scan per tick.
 * <p>
 * Not responsible for the stream's deadline or for a client that goes away while the container speaks: the
 * relay and its caller handle those. A keep-alive write that fails does tell the relay that the client is gone.
 */
public final class RelayTicker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RelayTicker.class.getName());

    private final long tickNanos;
    private final Set<Silence> streams = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    private RelayTicker(Duration tick) {
        this.tickNanos = tick.toNanos();
        thread = Thread.ofPlatform().daemon().name("fngate-relay-ticker").unstarted(this::run);
        thread.start();
    }

    /**
     * Starts a ticker.
     *
     * @param tick how often the streams are looked at: a keep-alive comment is up to this much late
     * @return the running ticker; {@link #close()} stops it
     */
    public static RelayTicker start(Duration tick) {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick: " + tick + " (expected: > 0)");
        }
        return new RelayTicker(tick);
    }

    /** Stops the thread; streams relayed from then on get no keep-alive comments. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    Silence watch(OutputStream to, EventBoundary boundary, long keepAliveNanos, Runnable abortUpstream) {
        Silence s = new Silence(to, boundary, keepAliveNanos, abortUpstream);
        streams.add(s);
        return s;
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(tickNanos);
            try {
                long now = System.nanoTime();
                for (Silence s : streams) {
                    s.tick(now);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "relay ticker failed", e);
            }
        }
    }

    /**
     * One event stream's relay as the ticker sees it. The relay's writes and the ticker's comments share a lock:
     * a comment goes out only between events, never inside one, and never after the relay has ended.
     */
    final class Silence {
        private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

        final ReentrantLock lock = new ReentrantLock();
        private final OutputStream to;
        private final EventBoundary boundary;
        private final long keepAliveNanos;
        private final Runnable abortUpstream;
        private volatile long lastWrite = System.nanoTime();
        private volatile boolean writing;
        private volatile boolean clientGone;
        private boolean ended; // under the lock

        private Silence(OutputStream to, EventBoundary boundary, long keepAliveNanos, Runnable abortUpstream) {
            this.to = to;
            this.boundary = boundary;
            this.keepAliveNanos = keepAliveNanos;
            this.abortUpstream = abortUpstream;
        }

        /** The relay wrote: the silence starts again. Called under the lock. */
        void wrote(long now) {
            lastWrite = now;
        }

        /** Whether a keep-alive write failed; the upstream was then aborted. */
        boolean clientGone() {
            return clientGone;
        }

        /** The relay is done: no comment is written from now on (waits for one being written). */
        void end() {
            lock.lock();
            try {
                ended = true;
            } finally {
                lock.unlock();
            }
            streams.remove(this);
        }

        private void tick(long now) {
            if (!writing && now - lastWrite >= keepAliveNanos) {
                writing = true;
                // a virtual thread: the write may block behind a slow client, the ticker must not
                Thread.ofVirtual().name("fngate-keep-alive").start(this::keepAlive);
            }
        }

        private void keepAlive() {
            lock.lock();
            try {
                if (!ended && boundary.betweenEvents()) {
                    to.write(KEEP_ALIVE);
                    to.flush();
                }
                lastWrite = System.nanoTime(); // inside an event, the next try is an interval later
            } catch (IOException | RuntimeException e) {
                clientGone = true;
                abortUpstream.run(); // the relay's read fails at once and sees clientGone
            } finally {
                lock.unlock();
                writing = false;
            }
        }
    }
}
