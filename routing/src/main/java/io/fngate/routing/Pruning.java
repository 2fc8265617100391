package io.fngate.routing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;

/**
 * Forgets dispatcher state of instances and functions the registry no longer lists, once nothing uses it:
 * instances come and go (self-registration, deployments), and their slots must not pile up. A slot still in
 * flight stays until a later round (drain: its requests finish where they started).
 */
final class Pruning {
    private Pruning() {
    }

    static void prune(Registry registry, ConcurrentHashMap<UUID, VersionSlots> slots,
                      ConcurrentHashMap<UUID, FunctionQueue> queues) {
        Map<UUID, Set<Instance>> live = new HashMap<>();
        Set<UUID> functions = new HashSet<>();
        for (InferenceFunction f : registry.functions()) {
            functions.add(f.id());
            for (FunctionVersion v : f.versions()) {
                live.put(v.id(), new HashSet<>(v.instances()));
            }
        }
        long now = System.currentTimeMillis();
        slots.values().removeIf(v -> {
            Set<Instance> kept = live.getOrDefault(v.versionId, Set.of());
            synchronized (v) {
                v.slots.values().removeIf(s -> !kept.contains(s.instance) && s.inFlight.get() == 0
                        && !s.ejected(now));
                return v.slots.isEmpty() && !live.containsKey(v.versionId);
            }
        });
        queues.values().removeIf(q -> {
            if (functions.contains(q.functionId)) {
                return false;
            }
            q.lock.lock();
            try {
                if (q.waiting.get() > 0) {
                    return false;
                }
                q.dead = true;
                return true;
            } finally {
                q.lock.unlock();
            }
        });
    }
}
