/**
 * Tracing export: {@link io.fngate.tracing.OtlpTracing}, an invocation listener that sends one span per sampled
 * invocation over OTLP/HTTP, configured by {@code observability.tracing.*}.
 * <p>
 * Not responsible for trace context itself (the invocation module continues or starts traces and tells the
 * container), nor for metrics or the access log (observability).
 */
package io.fngate.tracing;
