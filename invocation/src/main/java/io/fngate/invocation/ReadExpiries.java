package io.fngate.invocation;

import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The pool's watchdog of read expiries ({@link UpstreamInput#expireAt}): it looks at a connection when its
 * expiry comes due, not at every connection every tick. An event stream's read may wait an hour; scanning
 * 10,000 of them 100 times a second cost a core's worth of wake-ups for nothing.
 * <p>
 * Exchanges only flag a connection as changed (armed, armed sooner, closed); the watchdog thread owns the
 * schedule, a set ordered by due time, and applies the changes at its next tick. A connection armed again
 * later than its entry (every read of a body moves its expiry on) keeps its entry: when that comes due the
 * watchdog finds the expiry moved and looks again at the new time. So the schedule is touched about once per
 * timeout per connection, and an expiry is acted on up to one tick late, as before.
 * <p>
 * Not responsible for what an expiry means: the pool's abort fails the waiting read, which reports it.
 */
final class ReadExpiries {
    /** One planned look at a connection; {@code seq} keeps entries with the same time apart. */
    record Due(long at, long seq, UpstreamConnection connection) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(at - o.at, 0); // nanoTime order, wrap-safe
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final long tickNanos;
    private final Consumer<UpstreamConnection> abort;
    private final ConcurrentLinkedQueue<UpstreamConnection> changed = new ConcurrentLinkedQueue<>();
    /** The watchdog thread's alone. */
    private final TreeSet<Due> due = new TreeSet<>();
    private long seq;
    /** Connections looked at because an entry came due (for tests: the work the schedule saves). */
    private volatile long looks;

    ReadExpiries(long tickNanos, Consumer<UpstreamConnection> abort) {
        this.tickNanos = tickNanos;
        this.abort = abort;
    }

    /**
     * From the exchange holding the connection, after it set the expiry to {@code at}: the watchdog is told
     * when the connection was not watched yet, when it has no entry (its expiry was lifted for a while:
     * {@link UpstreamConnection#readTimeout}), or when it now expires sooner than the watchdog planned to look.
     */
    void armed(UpstreamConnection c, long at) {
        if (!c.watched) {
            c.watched = true;
            changed.add(c);
        } else if (c.entry == null || at - c.dueAt < -tickNanos) {
            changed.add(c);
        }
    }

    /** From the exchange: its expiry no longer applies. The entry, if any, is dropped when it comes due. */
    void disarmed(UpstreamConnection c) {
        c.watched = false;
    }

    /** From any thread, once the connection is closed: its entry goes at the next tick, not when due. */
    void closed(UpstreamConnection c) {
        changed.add(c);
    }

    /** One round of the watchdog. */
    void tick(long now) {
        for (UpstreamConnection c; (c = changed.poll()) != null; ) {
            if (c.isClosed() || !c.watched) {
                unschedule(c);
            } else {
                schedule(c, c.in().expiresAt());
            }
        }
        while (!due.isEmpty() && due.first().at() - now <= 0) {
            UpstreamConnection c = due.pollFirst().connection();
            c.entry = null;
            looks++;
            if (c.isClosed() || !c.watched) {
                continue;
            }
            if (c.in().expire(now)) {
                abort.accept(c);
                continue;
            }
            long at = c.in().expiresAt();
            // not due after all (moved on), or due while no read waits: the next read checks it itself, and a
            // new arming moves it on; look again a tick later
            schedule(c, at - now > 0 ? at : now + tickNanos);
        }
    }

    /** Entries in the schedule (for tests; the watchdog's thread changes it). */
    int scheduled() {
        return due.size();
    }

    /** Due entries looked at so far (for tests). */
    long looks() {
        return looks;
    }

    private void schedule(UpstreamConnection c, long at) {
        if (at == UpstreamInput.NEVER) {
            unschedule(c);
            return;
        }
        Due current = c.entry;
        if (current != null && at - current.at() >= -tickNanos) {
            return; // planned already, soon enough
        }
        unschedule(c);
        Due d = new Due(at, seq++, c);
        due.add(d);
        c.entry = d;
        c.dueAt = at;
    }

    private void unschedule(UpstreamConnection c) {
        Due current = c.entry;
        if (current != null) {
            due.remove(current);
            c.entry = null;
        }
    }
}
