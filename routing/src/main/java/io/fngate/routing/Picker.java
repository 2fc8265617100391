package io.fngate.routing;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.Instance;

/**
 * Chooses and takes a slot among the instances of some versions: the less loaded (relative to its limit) of two
 * random eligible instances with a free slot, else the least loaded free one a scan finds. Eligible: not
 * excluded, not ejected. Lock-free: a slot is taken by one CAS; a lost race is tried again.
 */
final class Picker {
    /** Every eligible instance is at its limit. */
    static final Object BUSY = new Object() {
        @Override
        public String toString() {
            return "BUSY";
        }
    };
    /** No instance is eligible at all. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "NONE";
        }
    };
    private static final int SCANS = 3;

    private final Clock clock;
    private final Function<UUID, VersionSlots> slots;

    Picker(Clock clock, Function<UUID, VersionSlots> slots) {
        this.clock = clock;
        this.slots = slots;
    }

    /** A taken slot and the version it serves. */
    static final class Choice {
        int index;
        FunctionVersion version;
        Slot slot;

        int limit() {
            return version.maxRequestConcurrency();
        }
    }

    /**
     * @return a {@link Choice} whose slot is taken, {@link #BUSY} or {@link #NONE}
     */
    Object take(List<FunctionVersion> versions, Set<Instance> exclude) {
        int n = 0;
        for (FunctionVersion v : versions) {
            n += v.instances().size();
        }
        if (n == 0) {
            return NONE;
        }
        long now = clock.millis();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Choice a = at(versions, random.nextInt(n));
        Choice b = n > 1 ? at(versions, (a.index + 1 + random.nextInt(n - 1)) % n) : null;
        boolean aFree = free(a, exclude, now);
        boolean bFree = b != null && free(b, exclude, now);
        Choice pick = aFree && bFree ? (b.slot.lighterThan(b.limit(), a.slot, a.limit()) ? b : a)
                : aFree ? a : bFree ? b : null;
        if (pick != null && pick.slot.tryTake(pick.limit())) {
            return pick;
        }
        for (int scan = 0; scan < SCANS; scan++) {
            Choice best = null;
            boolean eligible = false;
            int start = random.nextInt(n);
            for (int k = 0; k < n; k++) {
                Choice c = at(versions, (start + k) % n);
                if (exclude.contains(c.slot.instance) || c.slot.ejected(now)) {
                    continue;
                }
                eligible = true;
                if (c.slot.inFlight.get() < c.limit()
                        && (best == null || c.slot.lighterThan(c.limit(), best.slot, best.limit()))) {
                    best = c;
                }
            }
            if (!eligible) {
                return NONE;
            }
            if (best == null) {
                return BUSY;
            }
            if (best.slot.tryTake(best.limit())) {
                return best;
            }
        }
        return BUSY; // lost every race: as good as busy
    }

    private static boolean free(Choice c, Set<Instance> exclude, long now) {
        return !exclude.contains(c.slot.instance) && !c.slot.ejected(now) && c.slot.inFlight.get() < c.limit();
    }

    /** The i-th instance over all versions, in order. */
    private Choice at(List<FunctionVersion> versions, int i) {
        Choice c = new Choice();
        c.index = i;
        for (FunctionVersion v : versions) {
            int size = v.instances().size();
            if (i < size) {
                c.version = v;
                c.slot = slots.apply(v.id()).slot(v.instances().get(i));
                return c;
            }
            i -= size;
        }
        throw new IllegalStateException("instance index out of range");
    }
}
