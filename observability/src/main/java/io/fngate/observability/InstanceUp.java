package io.fngate.observability;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.VersionStatus;
import io.fngate.routing.Dispatcher;
import io.prometheus.client.GaugeMetricFamily;

/**
 * {@code fngate_instance_up}: 1 for an instance in the rotation, 0 for one the dispatcher ejected or one that
 * fails its health checks. The registry lists only instances that may serve, so an instance seen earlier that is
 * missing while its version is DEGRADED, DEPLOYING or ERROR (some instances unhealthy) is reported 0; once the
 * version is ACTIVE again (or INACTIVE), missing instances are forgotten: they left the deployment.
 * Scrapes are serialised by the caller's registry; this class is not thread-safe beyond that.
 */
final class InstanceUp {
    private final Map<UUID, Set<Instance>> seen = new HashMap<>();

    synchronized void collect(Collection<InferenceFunction> functions, Dispatcher dispatcher, GaugeMetricFamily up) {
        Set<UUID> versions = new HashSet<>();
        for (InferenceFunction f : functions) {
            for (FunctionVersion v : f.versions()) {
                versions.add(v.id());
                Set<Instance> known = seen.computeIfAbsent(v.id(), k -> new HashSet<>());
                boolean someUnhealthy = v.status() == VersionStatus.DEGRADED || v.status() == VersionStatus.ERROR
                        || v.status() == VersionStatus.DEPLOYING;
                if (!someUnhealthy) {
                    known.retainAll(v.instances());
                }
                known.addAll(v.instances());
                for (Instance i : known) {
                    boolean listed = v.instances().contains(i);
                    boolean ejected = listed && dispatcher.load(v.id(), i)
                            .flatMap(l -> l.ejectedUntil()).isPresent();
                    up.addMetric(List.of(f.id().toString(), v.id().toString(), i.url().toString()),
                            listed && !ejected ? 1 : 0);
                }
            }
        }
        seen.keySet().retainAll(versions);
    }
}
