package io.fngate.registry;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.json.JsonObject;

/**
 * A store that keeps documents in memory only (lost at exit).
 */
final class MemoryStore implements RegistryStore {
    private final Map<UUID, JsonObject> documents = new ConcurrentHashMap<>();
    private final Map<String, MemoryStore> collections = new ConcurrentHashMap<>();

    @Override
    public RegistryStore collection(String name) {
        FileStore.checkCollectionName(name);
        return collections.computeIfAbsent(name, n -> new MemoryStore());
    }

    @Override
    public Map<UUID, JsonObject> load() {
        return Map.copyOf(documents);
    }

    @Override
    public void put(UUID functionId, JsonObject document) {
        documents.put(functionId, document);
    }

    @Override
    public void delete(UUID functionId) {
        documents.remove(functionId);
    }

    @Override
    public String location(UUID functionId) {
        return "memory:" + functionId;
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return "memory store";
    }
}
