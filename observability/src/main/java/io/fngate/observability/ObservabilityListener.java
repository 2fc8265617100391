package io.fngate.observability;

import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fngate.invocation.InvocationListener;
import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.ResponseStart;
import io.fngate.invocation.UpstreamFailure;
import io.fngate.registry.Instance;
import io.fngate.streaming.RelayObserver;

/**
 * The one listener the invocation handler is given: metrics (when enabled), the access log (when on) and a
 * tracer (when one exports spans), each told every event it cares about.
 */
public final class ObservabilityListener implements InvocationListener {
    private static final Logger LOG = Logger.getLogger(ObservabilityListener.class.getName());

    private final Optional<GatewayMetrics> metrics;
    private final Optional<AccessLog> accessLog;
    private final Optional<InvocationListener> tracer;

    private ObservabilityListener(Optional<GatewayMetrics> metrics, Optional<AccessLog> accessLog,
                                  Optional<InvocationListener> tracer) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.tracer = tracer;
    }

    /**
     * @param metrics   told everything, when present
     * @param accessLog told of finished requests, when present
     * @return the listener
     */
    public static InvocationListener create(Optional<GatewayMetrics> metrics, Optional<AccessLog> accessLog) {
        return create(metrics, accessLog, Optional.empty());
    }

    /**
     * @param metrics   told everything, when present
     * @param accessLog told of finished requests, when present
     * @param tracer    asked whether new traces are sampled and told of finished requests, when present
     * @return the listener
     */
    public static InvocationListener create(Optional<GatewayMetrics> metrics, Optional<AccessLog> accessLog,
                                            Optional<InvocationListener> tracer) {
        if (metrics.isEmpty() && accessLog.isEmpty() && tracer.isEmpty()) {
            return InvocationListener.NONE;
        }
        return new ObservabilityListener(metrics, accessLog, tracer);
    }

    @Override
    public boolean sampleNewTrace() {
        return tracer.isPresent() && tracer.get().sampleNewTrace();
    }

    @Override
    public void completed(InvocationRecord record) {
        if (metrics.isPresent()) {
            try {
                metrics.get().completed(record);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "metrics failed", e);
            }
        }
        if (accessLog.isPresent()) {
            accessLog.get().completed(record);
        }
        if (tracer.isPresent()) {
            try {
                tracer.get().completed(record);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "tracing failed", e);
            }
        }
    }

    @Override
    public RelayObserver responseStarted(ResponseStart start) {
        if (metrics.isEmpty()) {
            return RelayObserver.NONE;
        }
        try {
            return metrics.get().responseStarted(start);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics failed", e);
            return RelayObserver.NONE;
        }
    }

    @Override
    public void upstreamFailed(UUID functionId, UUID versionId, UpstreamFailure failure) {
        metrics.ifPresent(m -> m.upstreamFailed(functionId, versionId, failure));
    }

    @Override
    public void retried(UUID functionId, UUID versionId) {
        metrics.ifPresent(m -> m.retried(functionId, versionId));
    }

    @Override
    public void ejected(UUID functionId, UUID versionId, Instance instance) {
        metrics.ifPresent(m -> m.ejected(functionId, versionId, instance));
    }
}
