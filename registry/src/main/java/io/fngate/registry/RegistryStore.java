package io.fngate.registry;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import jakarta.json.JsonObject;

/**
 * Where functions created through the management API are kept: one JSON document per function, keyed by
 * function id. The registry writes a function's whole document on every change and acknowledges the change
 * only after {@link #put} or {@link #delete} returned, so an implementation must make a change durable before
 * returning (it survives a crash of the process at any moment).
 * <p>
 * Implementations must be safe for one writer at a time (the registry never writes concurrently) and readers
 * of {@link #load} at start only. Not responsible for the meaning of documents, nor (yet) for telling one
 * gateway about changes another one made: a store shared by several replicas would add that.
 */
public interface RegistryStore extends AutoCloseable {

    /**
     * The embedded default: one file per function under {@code dataDir/functions}, each write made durable by
     * writing a temporary file, fsync, rename and fsync of the directory. The directory is locked against
     * other processes while the store is open.
     *
     * @param dataDir data directory; created when missing
     * @return the store, opened
     * @throws RegistryStoreException when the directory cannot be created, read or locked
     */
    static RegistryStore directory(Path dataDir) {
        return FileStore.open(dataDir);
    }

    /**
     * A store in memory: everything is lost when the process ends. For tests and demos.
     *
     * @return an empty store
     */
    static RegistryStore memory() {
        return new MemoryStore();
    }

    /**
     * Reads every stored document.
     *
     * @return documents by function id
     * @throws RegistryStoreException naming the file when any document cannot be read or parsed
     */
    Map<UUID, JsonObject> load();

    /**
     * Creates or replaces a function's document, durably.
     *
     * @param functionId function id
     * @param document   the whole document
     * @throws RegistryStoreException when the write cannot be made durable
     */
    void put(UUID functionId, JsonObject document);

    /**
     * Removes a function's document, durably; nothing happens when there is none.
     *
     * @param functionId function id
     * @throws RegistryStoreException when the removal cannot be made durable
     */
    void delete(UUID functionId);

    /**
     * Where a function's document is kept, for error messages (a file name, a key).
     *
     * @param functionId function id
     * @return a description naming the document's location
     */
    String location(UUID functionId);

    /**
     * Another collection of documents in the same store, with the same guarantees: {@code <data-dir>/<name>} for
     * the file store (under the same lock), a separate map for the memory store. The gateway keeps its API keys in
     * {@code keys}. Closing the store releases its collections too; closing a collection does nothing.
     *
     * @param name lower-case letters only
     * @return the collection
     * @throws RegistryStoreException when its directory cannot be created
     */
    RegistryStore collection(String name);

    /**
     * Releases the store (files, locks). Acknowledged writes are already durable.
     */
    @Override
    void close();
}
