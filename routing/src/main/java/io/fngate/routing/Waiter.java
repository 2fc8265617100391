package io.fngate.routing;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import io.fngate.registry.Instance;

/**
 * A request waiting in a {@link FunctionQueue} for a slot. Its thread parks; whoever decides its fate (a
 * release that grants it a lease, a cancellation, the deadline) changes {@link #state} under the queue's lock
 * and unparks it.
 */
final class Waiter {
    static final int WAITING = 0;
    static final int GRANTED = 1;
    static final int FAILED = 2;
    static final int CANCELLED = 3;
    static final int EXPIRED = 4;

    final Optional<UUID> pinned;
    final Set<Instance> exclude;
    final Thread thread;
    final long since;
    volatile int state = WAITING;
    /** Set before {@link #state} turns GRANTED. */
    Lease lease;
    /** Set before {@link #state} turns FAILED. */
    DispatchException failure;

    Waiter(Optional<UUID> pinned, Set<Instance> exclude, Thread thread, long since) {
        this.pinned = pinned;
        this.exclude = exclude;
        this.thread = thread;
        this.since = since;
    }

    void grant(Lease granted) {
        lease = granted;
        state = GRANTED;
        LockSupport.unpark(thread);
    }

    void fail(DispatchException e) {
        failure = e;
        state = FAILED;
        LockSupport.unpark(thread);
    }

    void end(int how) {
        state = how;
        LockSupport.unpark(thread);
    }
}
