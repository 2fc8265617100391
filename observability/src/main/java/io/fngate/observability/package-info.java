/**
 * Observability API: {@link io.fngate.observability.GatewayMetrics} (an invocation listener that keeps
 * Prometheus collectors and serves them), {@link io.fngate.observability.AccessLog} (one JSON line per request,
 * written off the request thread), {@link io.fngate.observability.ObservabilityListener} (both behind the one
 * listener the invocation handler takes) and their {@link io.fngate.observability.ObservabilitySettings}.
 * <p>
 * Not responsible for what is measured on the request path itself, nor for trace context: the invocation module
 * decides what its events and records say; this module only counts and writes them.
 */
package io.fngate.observability;
