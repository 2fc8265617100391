/**
 * The function registry: which functions exist, their versions, deployments and instances, whether each
 * instance is healthy, the store that keeps them across restarts, and the management API that changes them.
 * It knows nothing of HTTP proxying or request routing.
 */
module io.fngate.registry {
    requires transitive io.helidon.config;
    requires transitive io.helidon.webserver;
    requires transitive jakarta.json;
    requires java.net.http;
    requires java.logging;
    exports io.fngate.registry;
}
