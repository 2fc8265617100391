/**
 * The management API: NVCF's function, version and deployment routes (plus fngate's instance registration and API
 * keys) over the registry's change methods and snapshots, each route behind an API-key scope. It owns the HTTP
 * side only: the rules of a change are the registry's, the keys and their checks the auth module's.
 */
module io.fngate.management {
    requires transitive io.fngate.registry;
    requires transitive io.fngate.auth;
    requires io.fngate.edge;
    requires transitive io.helidon.webserver;
    requires jakarta.json;
    requires java.logging;
    exports io.fngate.management;
}
