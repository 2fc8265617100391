package io.fngate.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.Instance;

/**
 * Passive outlier ejection: an instance that fails {@code ejectAfter} times in a row (connect failures, gateway
 * errors, 502s) leaves the rotation for a while, whether or not it has a health check. Each ejection in a row
 * doubles the next one (up to the maximum); an instance back from one is on probation: its next failure ejects
 * it again at once, its next success clears its record. Never more than {@code maxEjectedShare} of a version's
 * instances are out at once. Ejections and returns are logged.
 * <p>
 * Not responsible for active health checks (the registry's) nor for retrying the failed request.
 */
final class Outliers {
    private static final Logger LOG = Logger.getLogger(Outliers.class.getName());

    private final DispatchSettings settings;
    private final Clock clock;
    private final Function<UUID, VersionSlots> versions;
    private final Set<Slot> ejected = ConcurrentHashMap.newKeySet();

    Outliers(DispatchSettings settings, Clock clock, Function<UUID, VersionSlots> versions) {
        this.settings = settings;
        this.clock = clock;
        this.versions = versions;
    }

    void report(FunctionVersion version, Slot slot, Lease.Result result) {
        if (result == Lease.Result.SUCCESS) {
            if (slot.failures.get() != 0) {
                slot.failures.set(0);
            }
            if (slot.probation) {
                synchronized (versions.apply(version.id())) {
                    slot.probation = false;
                    slot.ejections = 0;
                }
                LOG.info(() -> "instance " + slot.instance.url() + " of version " + version.id()
                        + " answers again after its ejection");
            }
            return;
        }
        int failures = slot.failures.incrementAndGet();
        if (slot.probation || failures >= settings.ejectAfter()) {
            eject(version, slot, failures);
        }
    }

    private void eject(FunctionVersion version, Slot slot, int failures) {
        VersionSlots all = versions.apply(version.id());
        long now = clock.millis();
        long until;
        synchronized (all) {
            if (slot.ejected(now)) {
                return;
            }
            int out = 0;
            for (Instance i : version.instances()) {
                Slot s = all.slots.get(i);
                if (s != null && s != slot && s.ejected(now)) {
                    out++;
                }
            }
            int allowed = (int) Math.floor(version.instances().size() * settings.maxEjectedShare());
            if (out + 1 > allowed) {
                return; // keep enough instances in the rotation; the failures stay counted
            }
            slot.ejections++;
            long base = settings.ejectionTime().toMillis();
            long length = Math.min(settings.maxEjectionTime().toMillis(),
                    base << Math.min(20, slot.ejections - 1));
            until = now + length;
            slot.ejectedUntil = until;
            slot.probation = true;
        }
        ejected.add(slot);
        LOG.warning("instance " + slot.instance.url() + " of version " + version.id() + " ejected for "
                + Duration.ofMillis(until - now).toMillis() + " ms after " + failures + " failure(s) in a row");
    }

    /** Logs instances whose ejection ended; they take requests again (on probation). */
    void noticeReturns() {
        if (ejected.isEmpty()) {
            return;
        }
        long now = clock.millis();
        ejected.removeIf(s -> {
            if (s.ejected(now)) {
                return false;
            }
            LOG.info(() -> "instance " + s.instance.url() + " returns to the rotation after its ejection");
            return true;
        });
    }
}
