/**
 * Observability: Prometheus metrics and a structured access log, fed through the invocation module's
 * {@code InvocationListener}.
 */
module io.fngate.observability {
    requires transitive io.fngate.invocation;
    requires simpleclient;
    requires simpleclient.common;
    requires java.logging;
    requires jakarta.json;
    exports io.fngate.observability;
}
