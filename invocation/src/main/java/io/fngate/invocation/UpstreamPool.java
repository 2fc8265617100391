package io.fngate.invocation;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fngate.registry.Instance;

/**
 * Idle keep-alive connections per instance, most recently used first.
 * <p>
 * Nothing watches an idle connection's socket (that costs a reader per connection); instead connections idle
 * longer than {@code idleTimeout} are closed by a sweeper and never handed out, a connection is checked for a
 * close by the container when it is taken ({@link UpstreamConnection#isStale()}), and the exchange retries a
 * request without a body, or with a small one it holds, once for the remaining race (the container closing
 * just as the request is sent).
 * The pool grows with concurrency; only idle connections are capped.
 */
final class UpstreamPool implements AutoCloseable {
    private final Duration connectTimeout;
    private final long idleTimeoutNanos;
    private final int maxIdlePerInstance;
    private final ConcurrentHashMap<Instance, Idle> idle = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService sweeper;

    private static final class Idle {
        final ConcurrentLinkedDeque<UpstreamConnection> connections = new ConcurrentLinkedDeque<>();
        final AtomicInteger count = new AtomicInteger();
    }

    UpstreamPool(Duration connectTimeout, Duration idleTimeout, int maxIdlePerInstance) {
        this.connectTimeout = connectTimeout;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.maxIdlePerInstance = maxIdlePerInstance;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fngate-upstream-sweeper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, idleTimeout.toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    UpstreamConnection acquire(Instance instance) throws IOException {
        Idle pool = idle.get(instance);
        if (pool != null) {
            long now = System.nanoTime();
            UpstreamConnection c;
            while ((c = pool.connections.pollFirst()) != null) {
                pool.count.decrementAndGet();
                if (now - c.idleSinceNanos() < idleTimeoutNanos && !c.isStale()) {
                    return c;
                }
                discard(c);
            }
        }
        UpstreamConnection fresh = UpstreamConnection.open(instance, connectTimeout);
        open.incrementAndGet();
        return fresh;
    }

    /** Returns a connection whose last exchange ended cleanly and completely. */
    void release(UpstreamConnection connection) {
        Idle pool = idle.computeIfAbsent(connection.instance(), i -> new Idle());
        if (pool.count.incrementAndGet() > maxIdlePerInstance) {
            pool.count.decrementAndGet();
            discard(connection);
            return;
        }
        connection.markIdle(System.nanoTime());
        pool.connections.addFirst(connection);
    }

    /** Closes a connection that will not be reused (it may already be closed). */
    void discard(UpstreamConnection connection) {
        if (connection.close()) {
            open.decrementAndGet();
        }
    }

    /** Aborts a connection in the middle of an exchange. */
    void abort(UpstreamConnection connection) {
        if (connection.abort()) {
            open.decrementAndGet();
        }
    }

    /**
     * @return upstream connections currently open, idle or in use
     */
    int openConnections() {
        return open.get();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Idle pool : idle.values()) {
            Iterator<UpstreamConnection> it = pool.connections.descendingIterator();
            while (it.hasNext()) {
                UpstreamConnection c = it.next();
                if (now - c.idleSinceNanos() >= idleTimeoutNanos && pool.connections.removeFirstOccurrence(c)) {
                    pool.count.decrementAndGet();
                    discard(c);
                }
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Idle pool : idle.values()) {
            UpstreamConnection c;
            while ((c = pool.connections.pollFirst()) != null) {
                discard(c);
            }
        }
    }
}
