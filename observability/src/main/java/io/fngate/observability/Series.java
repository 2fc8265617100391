package io.fngate.observability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.PlatformError;
import io.fngate.invocation.UpstreamFailure;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import io.prometheus.client.SimpleCollector;

/**
 * The series of one label set (a function, or a function and a version), created on first use and cached so
 * that the request path does no label lookups; remembers what it created so that all of it can be removed when
 * the function or version is deleted. Creation may race: {@link SimpleCollector#labels} hands both callers the
 * same child.
 */
class Series {
    /** What to remove: each collector with the label values used on it. */
    private final Map<List<Object>, Runnable> removers = new HashMap<>();

    /** The series of these label values (created at zero when new); the hot path caches what this returns. */
    <C> C child(SimpleCollector<C> collector, String... labels) {
        C child = collector.labels(labels);
        synchronized (removers) {
            removers.putIfAbsent(List.of(collector, List.of(labels)), () -> collector.remove(labels));
        }
        return child;
    }

    /** Removes every series created through this object. */
    void remove() {
        synchronized (removers) {
            removers.values().forEach(Runnable::run);
            removers.clear();
        }
    }

    /**
     * A function's series: the queue's (per function) and those of its versions.
     */
    static final class Function extends Series {
        final String function;
        final ConcurrentHashMap<UUID, Version> versions = new ConcurrentHashMap<>();
        /** Requests of the function that no version served (refused before an instance took them). */
        final Version unversioned;
        private Histogram.Child queueWait;
        private Counter.Child rejections;
        private Counter.Child timeouts;

        Function(GatewayMetrics m, String function) {
            this.function = function;
            this.unversioned = new Version(m, function, "none");
        }

        Histogram.Child queueWait(GatewayMetrics m) {
            Histogram.Child c = queueWait;
            return c != null ? c : (queueWait = child(m.queueWait, function));
        }

        Counter.Child rejections(GatewayMetrics m) {
            Counter.Child c = rejections;
            return c != null ? c : (rejections = child(m.queueRejections, function));
        }

        Counter.Child timeouts(GatewayMetrics m) {
            Counter.Child c = timeouts;
            return c != null ? c : (timeouts = child(m.queueTimeouts, function));
        }

        @Override
        void remove() {
            super.remove();
            unversioned.remove();
            versions.values().forEach(Version::remove);
        }
    }

    /**
     * A version's series (or a function's, with version {@code none}; or neither, for requests that named no
     * registered function).
     */
    static final class Version extends Series {
        private static final int CLASSES = 6;
        private static final int ERRORS = PlatformError.values().length + 1;
        private static final int OUTCOMES = InvocationRecord.Outcome.values().length;
        private static final String[] CLASS_LABELS = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

        final String function;
        final String version;
        private final GatewayMetrics m;
        private final Counter.Child[] requests =
                new Counter.Child[CLASSES * ERRORS * OUTCOMES];
        private final Counter.Child[] upstreamErrors =
                new Counter.Child[UpstreamFailure.values().length];
        private Histogram.Child duration;
        private Histogram.Child firstByte;
        private Counter.Child bytesIn;
        private Counter.Child bytesOut;

        Version(GatewayMetrics m, String function, String version) {
            this.m = m;
            this.function = function;
            this.version = version;
        }

        Counter.Child requests(int status, Optional<PlatformError> error, InvocationRecord.Outcome outcome) {
            int cls = status >= 100 && status < 600 ? status / 100 : 0;
            int err = error.map(e -> e.ordinal() + 1).orElse(0);
            int i = (cls * ERRORS + err) * OUTCOMES + outcome.ordinal();
            Counter.Child c = requests[i];
            if (c == null) {
                c = child(m.requests, function, version, CLASS_LABELS[cls],
                        error.map(PlatformError::label).orElse("none"), outcome.label());
                requests[i] = c;
            }
            return c;
        }

        Counter.Child upstreamError(UpstreamFailure f) {
            Counter.Child c = upstreamErrors[f.ordinal()];
            if (c == null) {
                c = child(m.upstreamErrors, function, version, f.label());
                upstreamErrors[f.ordinal()] = c;
            }
            return c;
        }

        Histogram.Child duration() {
            Histogram.Child c = duration;
            return c != null ? c : (duration = child(m.duration, function, version));
        }

        Histogram.Child firstByte() {
            Histogram.Child c = firstByte;
            return c != null ? c : (firstByte = child(m.firstByte, function, version));
        }

        Counter.Child bytesIn() {
            Counter.Child c = bytesIn;
            return c != null ? c : (bytesIn = child(m.bytesIn, function, version));
        }

        Counter.Child bytesOut() {
            Counter.Child c = bytesOut;
            return c != null ? c : (bytesOut = child(m.bytesOut, function, version));
        }
    }
}
