/**
 * Invocation API: {@link io.fngate.invocation.InvocationHandler} (a Helidon handler for the public socket),
 * its {@link io.fngate.invocation.InvocationSettings}, the {@link io.fngate.invocation.PlatformError}
 * catalogue, and the {@link io.fngate.invocation.InvocationListener} SPI through which observability learns
 * of each finished invocation.
 * <p>
 * Not responsible for finding functions (routing and registry), for metrics formats (observability), or for
 * sockets, TLS and configuration files (server).
 */
package io.fngate.invocation;
