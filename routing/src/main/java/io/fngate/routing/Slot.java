package io.fngate.routing;

import java.util.concurrent.atomic.AtomicInteger;

import io.fngate.registry.Instance;

/**
 * The dispatcher's state for one instance of one version: requests in flight (never above the version's
 * {@code maxRequestConcurrency}) and passive outlier detection. Counters are lock-free; ejection decisions are
 * taken under the owning {@link VersionSlots}' monitor.
 */
final class Slot {
    final Instance instance;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    /** Clock millis until which the instance takes no requests; 0 when it never was ejected. */
    volatile long ejectedUntil;
    /** Back from an ejection and not yet proven healthy: its next failure ejects it again at once. */
    volatile boolean probation;
    /** Ejections in a row (each doubles the next one's length); guarded by the VersionSlots monitor. */
    int ejections;

    Slot(Instance instance) {
        this.instance = instance;
    }

    /** Takes a slot when fewer than {@code limit} are in use. */
    boolean tryTake(int limit) {
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    boolean ejected(long nowMillis) {
        return ejectedUntil > nowMillis;
    }

    /** Whether this slot is less loaded than {@code other}, each relative to its own limit. */
    boolean lighterThan(int limit, Slot other, int otherLimit) {
        return (long) inFlight.get() * otherLimit < (long) other.inFlight.get() * limit;
    }
}
