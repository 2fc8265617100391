package io.fngate.observability;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

import io.fngate.edge.EdgeAnswer;
import io.fngate.edge.EdgeListener;
import io.fngate.invocation.InvocationListener;
import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.PlatformError;
import io.fngate.invocation.ResponseStart;
import io.fngate.invocation.UpstreamFailure;
import io.fngate.registry.FunctionType;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.routing.Dispatcher;
import io.fngate.streaming.RelayObserver;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.BufferPoolsExports;
import io.prometheus.client.hotspot.ClassLoadingExports;
import io.prometheus.client.hotspot.GarbageCollectorExports;
import io.prometheus.client.hotspot.MemoryAllocationExports;
import io.prometheus.client.hotspot.MemoryPoolsExports;
import io.prometheus.client.hotspot.StandardExports;
import io.prometheus.client.hotspot.ThreadExports;

/**
 * Prometheus metrics of the gateway, and the {@code /metrics} handler that serves them (the text format, or
 * OpenMetrics when the scraper's {@code Accept} asks for it). README, "Metrics", lists every metric.
 * <p>
 * Label values come only from the registry: a function's or version's id as registered, an instance's URL, or
 * {@code none}. A request that names no registered function counts under {@code function="none"}, so requests
 * to random hosts never create series; the series of a function or version that is deleted are removed at the
 * next scrape. The request path touches only cached series (no label lookups); gauges of the dispatcher and the
 * registry are read at scrape time.
 * <p>
 * Not responsible for what is measured on the request path: the invocation module decides what its events and
 * records say; this class only counts them.
 */
public final class GatewayMetrics implements InvocationListener, EdgeListener, Handler {
    /** Request duration and time to first byte: 1 ms to 1 h. */
    static final double[] TIME_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
            60, 120, 300, 600, 1800, 3600};
    /** Gaps between events and time per output token: 0.5 ms to 1 min. */
    static final double[] GAP_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
            10, 30, 60};
    private static final String NONE = "none";

    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final Registry functions;
    private final Dispatcher dispatcher;

    final Counter requests = Counter.build("fngate_requests", "Requests on the invocation socket, by status class, "
            + "platform error and outcome.").labelNames("function", "version", "code_class", "error", "outcome")
            .register(registry);
    final Histogram duration = Histogram.build("fngate_request_duration_seconds",
            "From request start to the end of the response (streams included).").labelNames("function", "version")
            .buckets(TIME_BUCKETS).register(registry);
    final Histogram firstByte = Histogram.build("fngate_time_to_first_byte_seconds",
            "From request start to the container's response head (queue, connect and the container's own time).")
            .labelNames("function", "version").buckets(TIME_BUCKETS).register(registry);
    final Counter bytesIn = Counter.build("fngate_request_body_bytes", "Request body bytes sent to containers.")
            .labelNames("function", "version").register(registry);
    final Counter bytesOut = Counter.build("fngate_response_body_bytes", "Response body bytes relayed to clients.")
            .labelNames("function", "version").register(registry);
    final Histogram queueWait = Histogram.build("fngate_queue_wait_seconds",
            "Time a request waited for a free instance slot (zero when one was free).").labelNames("function")
            .buckets(TIME_BUCKETS).register(registry);
    final Counter queueRejections = Counter.build("fngate_queue_rejections",
            "Requests refused because the function's queue was full (429 queue-full).").labelNames("function")
            .register(registry);
    final Counter queueTimeouts = Counter.build("fngate_queue_timeouts", "Requests that waited in the queue until "
            + "their response-start deadline (504 queue-timeout).").labelNames("function").register(registry);
    final Counter upstreamErrors = Counter.build("fngate_upstream_errors", "Failures between the gateway and "
            + "instances, by kind: refused, reset, timeout, protocol.").labelNames("function", "version", "kind")
            .register(registry);
    final Counter retries = Counter.build("fngate_upstream_retries", "Requests tried again on another instance "
            + "or a fresh connection.").labelNames("function", "version").register(registry);
    final Counter ejections = Counter.build("fngate_instance_ejections", "Instances taken out of the rotation "
            + "after failures in a row.").labelNames("function", "version").register(registry);
    final Gauge streamsActive = Gauge.build("fngate_streams_active", "Event streams being relayed now.")
            .labelNames("function", "version").register(registry);
    final Counter streams = Counter.build("fngate_streams", "Event streams ended, by reason: completed, "
            + "client_gone, deadline, upstream_error.").labelNames("function", "version", "reason")
            .register(registry);
    final Histogram streamDuration = Histogram.build("fngate_stream_duration_seconds",
            "From the start of an event stream's body to its end.").labelNames("function", "version")
            .buckets(TIME_BUCKETS).register(registry);
    final Counter streamEvents = Counter.build("fngate_stream_events", "Server-Sent Events relayed.")
            .labelNames("function", "version").register(registry);
    final Histogram firstEvent = Histogram.build("fngate_stream_time_to_first_event_seconds",
            "From request start to the end of the first event relayed.").labelNames("function", "version")
            .buckets(TIME_BUCKETS).register(registry);
    final Histogram eventGap = Histogram.build("fngate_stream_event_gap_seconds",
            "Time between two consecutive events of a stream.").labelNames("function", "version")
            .buckets(GAP_BUCKETS).register(registry);
    final Counter tokens = Counter.build("fngate_llm_tokens", "Tokens reported in the usage of LLM responses, by "
            + "type: prompt, completion.").labelNames("function", "version", "type").register(registry);
    final Histogram timePerToken = Histogram.build("fngate_llm_time_per_output_token_seconds",
            "Event streams of LLM functions: time from the first to the last event per further completion token.")
            .labelNames("function", "version").buckets(GAP_BUCKETS).register(registry);

    private final ConcurrentHashMap<UUID, Series.Function> series = new ConcurrentHashMap<>();
    /** Requests that named no registered function. */
    private final Series.Version unrouted = new Series.Version(this, NONE, NONE);
    private final InstanceUp instanceUp = new InstanceUp();

    private GatewayMetrics(Registry functions, Dispatcher dispatcher) {
        this.functions = Objects.requireNonNull(functions, "functions");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        // DefaultExports less VersionInfoExports: its "info" type is OpenMetrics-only; fngate_build_info says it
        new StandardExports().register(registry);
        new MemoryPoolsExports().register(registry);
        new MemoryAllocationExports().register(registry);
        new BufferPoolsExports().register(registry);
        new GarbageCollectorExports().register(registry);
        new ThreadExports().register(registry);
        new ClassLoadingExports().register(registry);
        new Live().register(registry);
        gauge("fngate_build_info", "The running fngate build and Java runtime (value 1).",
                List.of("version", "java_version", "java_vendor"), List.of(BuildInfo.VERSION,
                        System.getProperty("java.runtime.version", ""), System.getProperty("java.vendor", "")),
                () -> 1);
    }

    /**
     * @param functions  the registry: the only source of label values, and of the deletions that remove series
     * @param dispatcher read at scrape time (queue depth, slots in flight, ejected instances)
     * @return new metrics with their own collector registry, JVM and process metrics included
     */
    public static GatewayMetrics create(Registry functions, Dispatcher dispatcher) {
        return new GatewayMetrics(functions, dispatcher);
    }

    /**
     * Registers a gauge read at scrape time.
     *
     * @param name  metric name
     * @param help  help text
     * @param value read on every scrape
     */
    public void gauge(String name, String help, DoubleSupplier value) {
        gauge(name, help, List.of(), List.of(), value);
    }

    /**
     * Registers a counter read at scrape time (a count kept elsewhere, such as the access log's drops).
     *
     * @param name  metric name, without {@code _total}
     * @param help  help text
     * @param value read on every scrape; must never decrease
     */
    public void counter(String name, String help, DoubleSupplier value) {
        new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return List.of(new io.prometheus.client.CounterMetricFamily(name, help, value.getAsDouble()));
            }
        }.register(registry);
    }

    private void gauge(String name, String help, List<String> labels, List<String> values, DoubleSupplier value) {
        new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                GaugeMetricFamily g = new GaugeMetricFamily(name, help, labels);
                g.addMetric(values, value.getAsDouble());
                return List.of(g);
            }
        }.register(registry);
    }

    @Override
    public void completed(InvocationRecord record) {
        Series.Function f = record.functionId().map(this::function).orElse(null);
        Series.Version v = f == null ? unrouted : version(f, record.versionId());
        v.requests(record.status(), record.error(), record.outcome()).inc();
        v.duration().observe(seconds(record.duration()));
        record.firstByte().ifPresent(d -> v.firstByte().observe(seconds(d)));
        if (record.bytesIn() > 0) {
            v.bytesIn().inc(record.bytesIn());
        }
        if (record.bytesOut() > 0) {
            v.bytesOut().inc(record.bytesOut());
        }
        if (f != null) {
            record.queueWait().ifPresent(d -> f.queueWait(this).observe(seconds(d)));
            if (record.error().isPresent()) {
                if (record.error().get() == PlatformError.QUEUE_FULL) {
                    f.rejections(this).inc();
                } else if (record.error().get() == PlatformError.QUEUE_TIMEOUT) {
                    f.timeouts(this).inc();
                }
            }
        }
    }

    /**
     * A request the edge or Helidon answered before a handler ran: counted in {@code fngate_requests_total} with
     * no function or version, its problem label as the error and outcome {@code platform_error}; its duration
     * (head start to answer) when the edge knows it, which it does not for Helidon's own answers.
     */
    @Override
    public void answered(EdgeAnswer answer) {
        int status = answer.problem().status();
        requests.labels(NONE, NONE, (status / 100) + "xx", answer.problem().label(),
                InvocationRecord.Outcome.PLATFORM_ERROR.label()).inc();
        answer.elapsed().ifPresent(d -> unrouted.duration().observe(seconds(d)));
    }

    @Override
    public RelayObserver responseStarted(ResponseStart start) {
        boolean llm = start.functionType() == FunctionType.LLM;
        if (!start.eventStream() && !llm) {
            return RelayObserver.NONE;
        }
        return new BodyWatch(this, version(function(start.functionId()), Optional.of(start.versionId())),
                start, llm);
    }

    @Override
    public void upstreamFailed(UUID functionId, UUID versionId, UpstreamFailure failure) {
        version(function(functionId), Optional.of(versionId)).upstreamError(failure).inc();
    }

    @Override
    public void retried(UUID functionId, UUID versionId) {
        Series.Version v = version(function(functionId), Optional.of(versionId));
        v.child(retries, v.function, v.version).inc();
    }

    @Override
    public void ejected(UUID functionId, UUID versionId, Instance instance) {
        Series.Version v = version(function(functionId), Optional.of(versionId));
        v.child(ejections, v.function, v.version).inc();
    }

    private Series.Function function(UUID id) {
        Series.Function f = series.get(id);
        return f != null ? f : series.computeIfAbsent(id, k -> new Series.Function(this, k.toString()));
    }

    private Series.Version version(Series.Function f, Optional<UUID> id) {
        if (id.isEmpty()) {
            return f.unversioned;
        }
        Series.Version v = f.versions.get(id.get());
        return v != null ? v : f.versions.computeIfAbsent(id.get(), k -> new Series.Version(this, f.function,
                k.toString()));
    }

    static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws IOException {
        String type = TextFormat.chooseContentType(req.headers().first(HeaderNames.ACCEPT).orElse(""));
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.send(scrape(type).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the Prometheus text format (0.0.4) of every metric
     */
    String scrape() throws IOException {
        return scrape(TextFormat.CONTENT_TYPE_004);
    }

    String scrape(String contentType) throws IOException {
        prune();
        StringWriter out = new StringWriter(64 * 1024);
        TextFormat.writeFormat(contentType, out, registry.metricFamilySamples());
        return out.toString();
    }

    /** Removes the series of functions and versions the registry no longer has. */
    private void prune() {
        Map<UUID, InferenceFunction> live = new java.util.HashMap<>();
        for (InferenceFunction f : functions.functions()) {
            live.put(f.id(), f);
        }
        series.entrySet().removeIf(e -> {
            InferenceFunction f = live.get(e.getKey());
            if (f == null) {
                e.getValue().remove();
                return true;
            }
            e.getValue().versions.entrySet().removeIf(v -> {
                if (f.version(v.getKey()).isPresent()) {
                    return false;
                }
                v.getValue().remove();
                return true;
            });
            return false;
        });
    }

    /** Gauges read from the registry and the dispatcher at scrape time. */
    private final class Live extends Collector {
        @Override
        public List<MetricFamilySamples> collect() {
            GaugeMetricFamily inFlight = new GaugeMetricFamily("fngate_requests_in_flight",
                    "Requests holding an instance slot now (streams included).", List.of("function"));
            GaugeMetricFamily queued = new GaugeMetricFamily("fngate_queue_depth",
                    "Requests waiting for a free instance slot now.", List.of("function"));
            GaugeMetricFamily up = new GaugeMetricFamily("fngate_instance_up", "1: the instance is in the rotation "
                    + "(healthy, not ejected); 0: ejected, or failing its health checks.",
                    List.of("function", "version", "instance"));
            java.util.Collection<InferenceFunction> all = functions.functions();
            for (InferenceFunction f : all) {
                String fid = f.id().toString();
                int busy = 0;
                for (var v : f.versions()) {
                    for (Instance i : v.instances()) {
                        busy += dispatcher.load(v.id(), i).map(l -> l.inFlight()).orElse(0);
                    }
                }
                inFlight.addMetric(List.of(fid), busy);
                queued.addMetric(List.of(fid), dispatcher.queued(f.id()));
            }
            instanceUp.collect(all, dispatcher, up);
            GaugeMetricFamily count = new GaugeMetricFamily("fngate_functions", "Registered functions.", all.size());
            return List.of(inFlight, queued, up, count);
        }
    }
}
