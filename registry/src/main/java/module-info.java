/**
 * The function registry: which functions exist, their versions and the instances serving them.
 * It knows nothing of HTTP proxying or request routing.
 */
module io.fngate.registry {
    requires transitive io.helidon.config;
    exports io.fngate.registry;
}
