/**
 * Routing and dispatch: from a request's Host and headers to the versions that may serve it, then to one
 * instance with a free slot (per-instance concurrency, queueing, balancing, outlier ejection).
 * Knows no sockets and no proxying.
 */
module io.fngate.routing {
    requires transitive io.fngate.registry;
    requires java.logging;
    exports io.fngate.routing;
}
