package io.fngate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
    @TempDir
    Path dir;

    @Test
    void aCollectionKeepsItsDocumentsApartUnderTheSameLockAndSurvivesReopening() {
        UUID id = UUID.randomUUID();
        JsonObject doc = jakarta.json.Json.createObjectBuilder().add("k", "v").build();
        try (RegistryStore store = RegistryStore.directory(dir)) {
            RegistryStore keys = store.collection("keys");
            keys.put(id, doc);
            assertEquals(java.util.Map.of(), store.load(), "a collection's documents are not functions");
            keys.close(); // a collection's close releases nothing: the store still writes
            keys.put(UUID.randomUUID(), doc);
        }
        try (RegistryStore reopened = RegistryStore.directory(dir)) {
            assertEquals(2, reopened.collection("keys").load().size());
            assertEquals(doc, reopened.collection("keys").load().get(id));
        }
        assertTrue(java.nio.file.Files.exists(dir.resolve("keys").resolve(id + ".json")));
    }

    @Test
    void documentsSurviveReopening() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        try (RegistryStore store = RegistryStore.directory(dir)) {
            store.put(a, doc("a"));
            store.put(b, doc("b"));
            store.put(a, doc("a2"));
            store.delete(b);
            store.delete(UUID.randomUUID());
        }
        try (RegistryStore store = RegistryStore.directory(dir)) {
            assertEquals(Map.of(a, doc("a2")), store.load());
        }
    }

    @Test
    void leftoverTemporaryFilesAreUnacknowledgedWritesAndRemoved() throws IOException {
        UUID a = UUID.randomUUID();
        Files.createDirectories(dir.resolve("functions"));
        Files.writeString(dir.resolve("functions").resolve(a + ".json.tmp"), "{\"half");
        try (RegistryStore store = RegistryStore.directory(dir)) {
            assertEquals(Map.of(), store.load());
        }
        assertFalse(Files.exists(dir.resolve("functions").resolve(a + ".json.tmp")));
    }

    @Test
    void corruptDocumentStopsTheLoadNamingTheFile() throws IOException {
        UUID a = UUID.randomUUID();
        try (RegistryStore store = RegistryStore.directory(dir)) {
            store.put(a, doc("a"));
        }
        Path file = dir.resolve("functions").resolve(a + ".json");
        Files.writeString(file, "{\"name\": \"trunc");
        try (RegistryStore store = RegistryStore.directory(dir)) {
            RegistryStoreException e = assertThrows(RegistryStoreException.class, store::load);
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }

    @Test
    void deeplyNestedDocumentIsCorruptNamingTheFile() throws IOException {
        UUID a = UUID.randomUUID();
        Files.createDirectories(dir.resolve("functions"));
        Path file = dir.resolve("functions").resolve(a + ".json");
        Files.writeString(file, "{\"tags\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        try (RegistryStore store = RegistryStore.directory(dir)) {
            RegistryStoreException e = assertThrows(RegistryStoreException.class, store::load);
            assertTrue(e.getMessage().startsWith(file + ": corrupt store file (nested deeper than 32 levels"),
                    e.getMessage());
        }
    }

    @Test
    void aFailedWriteRemovesItsTemporaryFile() throws IOException {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        try (RegistryStore store = RegistryStore.directory(dir)) {
            // a directory where the document belongs: the temporary file is written, its rename fails (even as root)
            Path target = dir.resolve("functions").resolve(a + ".json");
            Files.createDirectories(target.resolve("in-the-way"));
            RegistryStoreException e = assertThrows(RegistryStoreException.class, () -> store.put(a, doc("a")));
            assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
            assertEquals(List.of(), temporaryFiles(), "the failed write's temporary file is gone at once");

            store.put(b, doc("b"));
            assertEquals(List.of(), temporaryFiles());
            assertTrue(Files.exists(dir.resolve("functions").resolve(b + ".json")));
        }
    }

    @Test
    void strayJsonFileStopsTheLoadNamingIt() throws IOException {
        Files.createDirectories(dir.resolve("functions"));
        Files.writeString(dir.resolve("functions").resolve("notes.json"), "{}");
        try (RegistryStore store = RegistryStore.directory(dir)) {
            RegistryStoreException e = assertThrows(RegistryStoreException.class, store::load);
            assertTrue(e.getMessage().contains("notes.json"), e.getMessage());
        }
    }

    @Test
    void unusableDataDirectoryIsReported() throws IOException {
        Path file = dir.resolve("not-a-directory");
        Files.writeString(file, "x");
        RegistryStoreException e = assertThrows(RegistryStoreException.class, () -> RegistryStore.directory(file));
        assertTrue(e.getMessage().contains("not-a-directory"), e.getMessage());
    }

    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("functions"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static JsonObject doc(String name) {
        return Json.createObjectBuilder().add("name", name).build();
    }
}
