/**
 * The function registry: which functions exist, their versions, deployments and instances, whether each
 * instance is healthy, the store that keeps them across restarts, and the rules every change follows. It knows
 * nothing of HTTP: the management module serves its API, routing reads its snapshots.
 */
module io.fngate.registry {
    requires transitive io.helidon.config;
    requires transitive jakarta.json;
    requires java.net.http;
    requires java.logging;
    exports io.fngate.registry;
}
