/**
 * API keys with scopes, for both sockets: who is calling, and what it may do (invoke which functions, which
 * management operations). Keys are kept only as SHA-256 hashes and compared in constant time.
 */
module io.fngate.auth {
    requires transitive io.helidon.config;
    requires transitive jakarta.json;
    requires java.logging;
    exports io.fngate.auth;
}
