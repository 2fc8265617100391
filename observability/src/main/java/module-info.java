/**
 * Observability: Prometheus metrics (invocations, dispatch, streams, LLM tokens, the JVM), W3C trace ids and the
 * access log, fed through the invocation module's {@code InvocationListener} and the edge's {@code EdgeListener}.
 */
module io.fngate.observability {
    requires transitive io.fngate.invocation;
    requires transitive io.fngate.edge;
    requires io.helidon.config;
    requires simpleclient;
    requires simpleclient.common;
    requires simpleclient.hotspot;
    requires java.logging;
    requires java.management;
    requires jdk.management;
    exports io.fngate.observability;
}
