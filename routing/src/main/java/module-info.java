/**
 * Routing: from a request's Host and headers to one instance of one function version.
 * Knows no sockets and no proxying.
 */
module io.fngate.routing {
    requires transitive io.fngate.registry;
    exports io.fngate.routing;
}
