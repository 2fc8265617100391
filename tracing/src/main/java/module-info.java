/**
 * Optional tracing export: one span per sampled invocation, with its queue, connect, first-byte and relay
 * phases, sent over OTLP by the OpenTelemetry SDK. A module of its own so that the SDK stays out of the rest.
 */
module io.fngate.tracing {
    requires transitive io.fngate.invocation;
    requires io.helidon.config;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.exporter.otlp;
    // found by the exporter through ServiceLoader: resolved here so that it is on the module graph
    requires io.opentelemetry.exporter.sender.jdk.internal;
    requires java.net.http;
    requires java.logging;
    requires jdk.unsupported;
    exports io.fngate.tracing;
}
