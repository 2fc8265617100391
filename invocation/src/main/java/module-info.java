/**
 * The invocation proxy: the handler that forwards a routed request to a function instance and streams the
 * answer back, the upstream HTTP/1.1 connection pool, and the platform error catalogue.
 */
module io.fngate.invocation {
    requires transitive io.fngate.routing;
    requires transitive io.fngate.auth;
    requires io.fngate.edge;
    requires transitive io.fngate.streaming;
    requires transitive io.helidon.webserver;
    requires jakarta.json;
    requires java.logging;
    exports io.fngate.invocation;
}
