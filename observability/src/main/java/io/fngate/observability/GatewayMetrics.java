package io.fngate.observability;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.DoubleSupplier;

import io.fngate.invocation.InvocationListener;
import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.PlatformError;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;

/**
 * Prometheus metrics of the invocation path, and the {@code /metrics} handler that serves them.
 * <p>
 * Labels: {@code function} (function id, or {@code none} when the request named no registered function),
 * {@code code} (status sent), {@code error} (platform error label, or {@code none}), {@code outcome}.
 * Not responsible for JVM or server-internal metrics.
 */
public final class GatewayMetrics implements InvocationListener, Handler {
    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final Counter requests = Counter.build("fngate_requests", "Requests on the invocation socket.")
            .labelNames("function", "code", "error", "outcome").register(registry);
    private final Histogram duration = Histogram.build("fngate_request_duration_seconds",
                    "Time from request start to the end of the response.")
            .labelNames("function")
            .buckets(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600)
            .register(registry);
    private final Counter bytesOut = Counter.build("fngate_response_body_bytes", "Response body bytes relayed.")
            .labelNames("function").register(registry);

    private GatewayMetrics() {
    }

    /**
     * @return new metrics with their own collector registry
     */
    public static GatewayMetrics create() {
        return new GatewayMetrics();
    }

    /**
     * Registers a gauge read at scrape time.
     *
     * @param name  metric name
     * @param help  help text
     * @param value read on every scrape
     */
    public void gauge(String name, String help, DoubleSupplier value) {
        new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return List.of(new GaugeMetricFamily(name, help, value.getAsDouble()));
            }
        }.register(registry);
    }

    @Override
    public void completed(InvocationRecord record) {
        String function = record.functionId().map(Object::toString).orElse("none");
        String error = record.error().map(PlatformError::label).orElse("none");
        requests.labels(function, Integer.toString(record.status()), error,
                record.outcome().name().toLowerCase(java.util.Locale.ROOT)).inc();
        duration.labels(function).observe(record.duration().toNanos() / 1e9);
        if (record.bytesOut() > 0) {
            bytesOut.labels(function).inc(record.bytesOut());
        }
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws IOException {
        res.header(HeaderNames.CONTENT_TYPE, TextFormat.CONTENT_TYPE_004);
        res.send(scrape().getBytes(StandardCharsets.UTF_8));
    }

    String scrape() throws IOException {
        StringWriter out = new StringWriter();
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toString();
    }
}
