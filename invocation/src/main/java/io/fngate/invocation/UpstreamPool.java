package io.fngate.invocation;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fngate.registry.Instance;

/**
 * Upstream connections per instance: idle keep-alive ones, most recently used first, and at most
 * {@code maxPerInstance} open at once to one instance.
 * <p>
 * Nothing watches an idle connection's socket (that costs a reader per connection); instead connections idle
 * longer than {@code idleTimeout} are closed by a sweeper and never handed out, a connection is checked for a
 * close by the container when it is taken ({@link UpstreamConnection#isStale()}; skipped for a request that can
 * be retried on a connection idle under {@link #UNCHECKED_IDLE_NANOS}), and the exchange retries a
 * request without a body, or with a small one it holds, once for the remaining race (the container closing
 * just as the request is sent). The sweeper also forgets instances with nothing open: instances come and go
 * (self-registration), and their entries must not pile up.
 */
final class UpstreamPool implements AutoCloseable {
    /**
     * Idle time under which a retryable request takes a pooled connection unchecked. Containers close idle
     * keep-alive connections after seconds (uvicorn 5 s, gunicorn 2 s, Node 5 s); one that closes sooner, or
     * after every response, costs a retry (counted as a reset), not a failed request.
     */
    static final long UNCHECKED_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often the watchdog looks for expired reads: an expired read fails up to this much late. */
    static final long EXPIRY_TICK_MILLIS = 10;
    private final Duration connectTimeout;
    private final long idleTimeoutNanos;
    private final int maxIdlePerInstance;
    private final int maxPerInstance;
    private final UpstreamTls tls;
    private final ConcurrentHashMap<Instance, PerInstance> instances = new ConcurrentHashMap<>();
    /** The watchdog's schedule of connections in use that have a read expiry armed ({@link #expireReads}). */
    private final ReadExpiries expiries;
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService sweeper;

    /** The connections of one instance. */
    static final class PerInstance {
        final ConcurrentLinkedDeque<UpstreamConnection> idle = new ConcurrentLinkedDeque<>();
        final AtomicInteger idleCount = new AtomicInteger();
        final Semaphore permits;
        /** Open connections plus acquisitions in progress; changed from zero only inside the map's compute. */
        final AtomicInteger users = new AtomicInteger();

        PerInstance(int max) {
            permits = new Semaphore(max);
        }
    }

    /** No connection to the instance could be had because {@code maxPerInstance} are open and busy. */
    static final class Exhausted extends IOException {
        Exhausted(String message) {
            super(message);
        }
    }

    UpstreamPool(Duration connectTimeout, Duration idleTimeout, int maxIdlePerInstance, int maxPerInstance,
                 UpstreamTls tls) {
        this.connectTimeout = connectTimeout;
        this.tls = tls;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.maxIdlePerInstance = maxIdlePerInstance;
        this.maxPerInstance = maxPerInstance;
        this.expiries = new ReadExpiries(TimeUnit.MILLISECONDS.toNanos(EXPIRY_TICK_MILLIS), this::abort);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fngate-upstream-sweeper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, idleTimeout.toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
        sweeper.scheduleWithFixedDelay(this::expire, EXPIRY_TICK_MILLIS, EXPIRY_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Limits the connection's reads from now on to {@code timeout}: a read still waiting then fails with a
     * {@link java.net.SocketTimeoutException} and the connection is aborted. For a read whose timeout ends the
     * exchange (response start, a stalled body); see {@link UpstreamInput} for why not {@code SO_TIMEOUT}.
     */
    void expireReads(UpstreamConnection connection, Duration timeout) {
        long nanos = Math.max(1, Math.min(timeout.toNanos(), Long.MAX_VALUE / 4));
        long at = System.nanoTime() + nanos;
        connection.in().expireAt(at);
        expiries.armed(connection, at); // only the exchange holding the connection arms it
    }

    /** The watchdog: aborts connections whose read waits past its expiry (fails the read, which reports it). */
    private void expire() {
        expiries.tick(System.nanoTime());
    }

    /** The connection goes back to the pool: its expiry is dropped and the watchdog forgets it. */
    private void unwatch(UpstreamConnection connection) {
        connection.in().expireAt(UpstreamInput.NEVER);
        expiries.disarmed(connection);
    }

    /**
     * An idle connection that is still good, else a new one once fewer than {@code maxPerInstance} are open
     * (waiting up to the connect timeout for one to close).
     *
     * @throws Exhausted   when the instance's connections stay all busy
     * @throws IOException when connecting fails
     */
    UpstreamConnection acquire(Instance instance, boolean retryable) throws IOException {
        PerInstance p = instances.compute(instance, (k, v) -> {
            PerInstance got = v == null ? new PerInstance(maxPerInstance) : v;
            got.users.incrementAndGet();
            return got;
        });
        boolean handedOut = false;
        try {
            long now = System.nanoTime();
            UpstreamConnection c;
            while ((c = p.idle.pollFirst()) != null) {
                p.idleCount.decrementAndGet();
                long idle = now - c.idleSinceNanos();
                // A connection idle for under a second skips the check (a syscall on every request under load)
                // when the request can go again on a fresh connection should the container have closed it
                if (idle < idleTimeoutNanos && !c.isClosed()
                        && (retryable && idle < UNCHECKED_IDLE_NANOS || !c.isStale())) {
                    handedOut = true;
                    return c; // its permit and its use stay counted
                }
                discard(c);
            }
            if (!p.permits.tryAcquire(connectTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Exhausted(maxPerInstance + " connections to " + instance.authority() + " are busy");
            }
            try {
                UpstreamConnection fresh = UpstreamConnection.open(instance, p, connectTimeout, tls);
                open.incrementAndGet();
                handedOut = true;
                return fresh;
            } catch (IOException | RuntimeException e) {
                p.permits.release();
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a connection", e);
        } finally {
            if (!handedOut) {
                p.users.decrementAndGet();
            }
        }
    }

    /** Returns a connection whose last exchange ended cleanly and completely. */
    void release(UpstreamConnection connection) {
        unwatch(connection);
        PerInstance p = connection.owner();
        if (p.idleCount.incrementAndGet() > maxIdlePerInstance) {
            p.idleCount.decrementAndGet();
            discard(connection);
            return;
        }
        connection.markIdle(System.nanoTime());
        p.idle.addFirst(connection);
    }

    /** Closes a connection that will not be reused (it may already be closed). */
    void discard(UpstreamConnection connection) {
        if (connection.close()) {
            closed(connection);
        }
    }

    /** Aborts a connection in the middle of an exchange. */
    void abort(UpstreamConnection connection) {
        if (connection.abort()) {
            closed(connection);
        }
    }

    private void closed(UpstreamConnection connection) {
        expiries.closed(connection); // may run on any thread
        open.decrementAndGet();
        connection.owner().permits.release();
        connection.owner().users.decrementAndGet();
    }

    /** The read-expiry watchdog (for tests). */
    ReadExpiries expiries() {
        return expiries;
    }

    /**
     * @return upstream connections currently open, idle or in use
     */
    int openConnections() {
        return open.get();
    }

    /**
     * @return idle keep-alive connections now (a part of {@link #openConnections()})
     */
    int idleConnections() {
        int idle = 0;
        for (PerInstance p : instances.values()) {
            idle += p.idleCount.get();
        }
        return idle;
    }

    /**
     * @return instances the pool keeps an entry for (for tests: entries of gone instances are pruned)
     */
    int instancesTracked() {
        return instances.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (PerInstance p : instances.values()) {
            Iterator<UpstreamConnection> it = p.idle.descendingIterator();
            while (it.hasNext()) {
                UpstreamConnection c = it.next();
                if (now - c.idleSinceNanos() >= idleTimeoutNanos && p.idle.removeFirstOccurrence(c)) {
                    p.idleCount.decrementAndGet();
                    discard(c);
                }
            }
        }
        for (Instance i : instances.keySet()) {
            instances.computeIfPresent(i, (k, p) -> p.users.get() == 0 ? null : p);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (PerInstance p : instances.values()) {
            UpstreamConnection c;
            while ((c = p.idle.pollFirst()) != null) {
                discard(c);
            }
        }
    }
}
