package io.fngate.routing;

import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests of one function waiting for a free slot, first come first served (a retry after a connect
 * failure goes to the front). All changes happen under {@link #lock}; {@link #waiting} mirrors the size so that
 * a release can tell without the lock whether anyone waits.
 */
final class FunctionQueue {
    final UUID functionId;
    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    final AtomicInteger waiting = new AtomicInteger();
    /** Removed from the dispatcher (its function is gone); guarded by {@link #lock}. */
    boolean dead;

    FunctionQueue(UUID functionId) {
        this.functionId = functionId;
    }

    /** Takes a waiter out; true when it was still queued. Holds {@link #lock}. */
    boolean remove(Waiter w) {
        if (waiters.remove(w)) {
            waiting.decrementAndGet();
            return true;
        }
        return false;
    }
}
