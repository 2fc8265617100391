/**
 * Observability API: {@link io.fngate.observability.GatewayMetrics} (an invocation listener that keeps
 * Prometheus collectors and serves them) and {@link io.fngate.observability.AccessLog}.
 * <p>
 * Not responsible for what is measured on the request path itself: the invocation module decides what an
 * {@code InvocationRecord} says; this module only counts and writes it.
 */
package io.fngate.observability;
