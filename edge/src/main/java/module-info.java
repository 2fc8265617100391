/**
 * The edge: a connection-level front for Helidon listeners. It owns every connection of a listener, answers
 * malformed or slow HTTP/1.x requests itself (as {@code application/problem+json}), serves HTTP/1.0 through
 * the normal routing, and hands HTTP/1.1 and HTTP/2 to Helidon's own connections.
 * Knows nothing of functions, routing or proxying.
 */
module io.fngate.edge {
    requires transitive io.helidon.webserver;
    requires transitive io.helidon.config;
    requires io.helidon.webserver.http2;
    requires io.helidon.http.http2;
    exports io.fngate.edge;
}
