package io.fngate.tracing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fngate.invocation.InvocationListener;
import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.PlatformError;
import io.helidon.config.Config;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Exports one span per sampled invocation over OTLP/HTTP (protobuf), with a child span per phase: {@code queue}
 * (waiting for an instance slot), {@code connect}, {@code upstream} (from the connection to the container's
 * response head) and {@code relay} (the response body). The invocation span carries the ids the container was
 * told of: the trace id, and as its own id the parent id of the container's {@code traceparent}, so the
 * container's spans hang below it. Spans are built when the request has finished (from its
 * {@link InvocationRecord}) and handed to the SDK's batch processor; exporting never blocks a request.
 * <p>
 * Sampling: a trace the client sent is exported when its sampled flag is set; a trace the gateway starts is
 * sampled with probability {@code sample-ratio} (and the container is told so). Not responsible for trace
 * context itself: the invocation module continues or starts traces.
 */
public final class OtlpTracing implements InvocationListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OtlpTracing.class.getName());
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("client.address");
    private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    private static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("server.address");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("fngate.request_id");
    private static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("fngate.function.id");
    private static final AttributeKey<String> VERSION = AttributeKey.stringKey("fngate.function.version_id");
    private static final AttributeKey<String> ERROR = AttributeKey.stringKey("fngate.error");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("fngate.outcome");
    private static final AttributeKey<Long> BYTES_IN = AttributeKey.longKey("fngate.request.body.size");
    private static final AttributeKey<Long> BYTES_OUT = AttributeKey.longKey("fngate.response.body.size");

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final double sampleRatio;

    private OtlpTracing(SdkTracerProvider provider, double sampleRatio) {
        this.provider = provider;
        this.tracer = provider.get("io.fngate.tracing");
        this.sampleRatio = sampleRatio;
    }

    /**
     * Keys of the {@code observability.tracing} node: {@code otlp.endpoint} (the collector's traces URL, e.g.
     * {@code http://127.0.0.1:4318/v1/traces}; absent: no export), {@code sample-ratio} (0..1, default 1) and
     * {@code service-name} (default {@code fngate}).
     *
     * @param node the {@code observability.tracing} node
     * @return a running exporter, or empty when no endpoint is configured
     * @throws IllegalArgumentException naming the key when a value is invalid
     */
    public static Optional<OtlpTracing> create(Config node) {
        Optional<String> endpoint = node.get("otlp.endpoint").asString().asOptional();
        if (endpoint.isEmpty() || endpoint.get().isBlank()) {
            return Optional.empty();
        }
        Config ratioNode = node.get("sample-ratio");
        double ratio = ratioNode.asDouble().orElse(1.0);
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException(ratioNode.key() + ": " + ratio + " (expected: 0 to 1)");
        }
        String service = node.get("service-name").asString().orElse("fngate");
        OtlpHttpSpanExporter exporter;
        try {
            exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.get().trim()).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.get("otlp.endpoint").key() + ": " + e.getMessage(), e);
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), service))))
                .setSampler(Sampler.alwaysOn()) // the decision was taken when the request started
                .setIdGenerator(GivenIds.INSTANCE)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        return Optional.of(new OtlpTracing(provider, ratio));
    }

    @Override
    public boolean sampleNewTrace() {
        return sampleRatio >= 1 || sampleRatio > 0 && ThreadLocalRandom.current().nextDouble() < sampleRatio;
    }

    @Override
    public void completed(InvocationRecord r) {
        if (!r.trace().sampled()) {
            return;
        }
        try {
            export(r);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "span of request " + r.requestId() + " not exported", e);
        }
    }

    private void export(InvocationRecord r) {
        InvocationRecord.Trace t = r.trace();
        Context parent = t.parentId().map(p -> Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
                t.traceId(), p, TraceFlags.getSampled(), TraceState.getDefault())))).orElse(Context.root());
        long start = nanos(r.start());
        Span span;
        GivenIds.next(t.traceId(), t.spanId()); // the ids the container was told of
        try {
            span = tracer.spanBuilder(r.method() + " " + r.functionId().map(Object::toString).orElse("unrouted"))
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(start, TimeUnit.NANOSECONDS)
                    .startSpan();
        } finally {
            GivenIds.clear();
        }
        span.setAttribute(METHOD, r.method());
        span.setAttribute(PATH, r.path());
        span.setAttribute(STATUS, (long) r.status());
        span.setAttribute(REQUEST_ID, r.requestId().toString());
        span.setAttribute(OUTCOME, r.outcome().label());
        span.setAttribute(BYTES_IN, r.bytesIn());
        span.setAttribute(BYTES_OUT, r.bytesOut());
        if (!r.clientAddress().isEmpty()) {
            span.setAttribute(CLIENT, r.clientAddress());
        }
        if (!r.userAgent().isEmpty()) {
            span.setAttribute(USER_AGENT, r.userAgent());
        }
        r.functionId().ifPresent(f -> span.setAttribute(FUNCTION, f.toString()));
        r.versionId().ifPresent(v -> span.setAttribute(VERSION, v.toString()));
        r.instance().ifPresent(i -> span.setAttribute(INSTANCE, i.authority()));
        r.error().map(PlatformError::label).ifPresent(e -> span.setAttribute(ERROR, e));
        if (r.status() >= 500 || r.status() == 0 || r.outcome() != InvocationRecord.Outcome.COMPLETED
                && r.outcome() != InvocationRecord.Outcome.PLATFORM_ERROR) {
            span.setStatus(StatusCode.ERROR, r.error().map(PlatformError::label).orElse(r.outcome().label()));
        }
        Context inside = parent.with(span);
        long end = start + r.duration().toNanos();
        long queued = r.queueWait().map(d -> start + d.toNanos()).orElse(start);
        r.queueWait().ifPresent(d -> phase(inside, "queue", start, queued));
        long connected = r.connected().map(d -> start + d.toNanos()).orElse(queued);
        r.connected().ifPresent(d -> phase(inside, "connect", queued, connected));
        r.firstByte().ifPresent(d -> {
            phase(inside, "upstream", connected, start + d.toNanos());
            phase(inside, "relay", start + d.toNanos(), end);
        });
        span.end(end, TimeUnit.NANOSECONDS);
    }

    private void phase(Context parent, String name, long from, long to) {
        tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(from, TimeUnit.NANOSECONDS).startSpan()
                .end(Math.max(from, to), TimeUnit.NANOSECONDS);
    }

    private static long nanos(Instant i) {
        return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
    }

    /**
     * Exports what is still batched (waiting at most 10 s) and stops.
     */
    @Override
    public void close() {
        provider.shutdown().join(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    }
}
