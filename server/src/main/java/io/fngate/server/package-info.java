/**
 * Server API: {@link io.fngate.server.Gateway} starts and stops a gateway from configuration;
 * {@link io.fngate.server.Main} is the command line entry point.
 * <p>
 * Not responsible for proxying, routing or metrics themselves: it only wires the modules that do.
 */
package io.fngate.server;
