package io.fngate.auth;

import java.util.Map;
import java.util.UUID;

import jakarta.json.JsonObject;

/**
 * Where keys made through the management API are kept, one document (never the secret, only its hash) per key.
 * Writes must be durable when they return: a revocation must survive a crash.
 */
public interface KeyStore {
    /**
     * @return every stored key document by id
     */
    Map<UUID, JsonObject> load();

    /**
     * @param id       key id
     * @param document the key's document
     */
    void put(UUID id, JsonObject document);

    /**
     * @param id key id
     */
    void delete(UUID id);

    /**
     * A store that keeps nothing across restarts.
     *
     * @return a new in-memory store
     */
    static KeyStore memory() {
        Map<UUID, JsonObject> docs = new java.util.concurrent.ConcurrentHashMap<>();
        return new KeyStore() {
            @Override
            public Map<UUID, JsonObject> load() {
                return Map.copyOf(docs);
            }

            @Override
            public void put(UUID id, JsonObject document) {
                docs.put(id, document);
            }

            @Override
            public void delete(UUID id) {
                docs.remove(id);
            }
        };
    }
}
