package io.fngate.routing;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fngate.registry.Instance;

/**
 * The slots of one version's instances, created on first use. Its monitor guards ejection decisions, which
 * look at the whole version (the share of instances ejected).
 */
final class VersionSlots {
    final UUID versionId;
    final ConcurrentHashMap<Instance, Slot> slots = new ConcurrentHashMap<>();

    VersionSlots(UUID versionId) {
        this.versionId = versionId;
    }

    Slot slot(Instance instance) {
        Slot s = slots.get(instance);
        return s != null ? s : slots.computeIfAbsent(instance, Slot::new);
    }
}
