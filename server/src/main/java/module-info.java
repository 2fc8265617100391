/**
 * The fngate binary: reads configuration, opens the public and admin sockets, wires registry, routing,
 * invocation and observability together, and runs the demo function.
 */
module io.fngate.server {
    requires io.fngate.invocation;
    requires io.fngate.management;
    requires io.fngate.observability;
    requires io.fngate.edge;
    requires io.fngate.tracing;
    requires io.helidon.webserver;
    requires io.helidon.webserver.http2;
    requires io.helidon.common.tls;
    requires io.helidon.common.pki;
    requires io.helidon.common.configurable;
    requires io.helidon.config.yaml;
    requires io.helidon.logging.jul;
    requires io.helidon.logging.common;
    requires jakarta.json;
    requires java.logging;
    requires java.management;
    requires jdk.management;
    requires jdk.unsupported; // sun.misc.Signal: a SIGTERM that drains and exits 0
    exports io.fngate.server;
}
