package io.fngate.e2e.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.fngate.registry.RegistryStoreException;
import io.fngate.server.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot be read stops the start with an error naming the file: never an empty registry.
 */
class StoreStartupTest {
    @TempDir
    Path dir;

    @Test
    void truncatedStoreFileStopsTheGatewayProcessNamingTheFile() throws Exception {
        Path data = dir.resolve("data");
        Path file = storeOneFunction(data);
        Files.writeString(file, Files.readString(file).substring(0, 40));
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "server: { host: 127.0.0.1, port: 0 }\nadmin: { port: 0 }\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GatewayJvm.start(config, data, Path.of("target", "fngate-crash-test.jsa").toAbsolutePath()));
        assertTrue(e.getMessage().contains("fngate: cannot open the function registry: " + file
                + ": corrupt store file"), e.getMessage());
    }

    @Test
    void storedDocumentWithABadFieldStopsTheStartNamingFileAndField() throws Exception {
        Path data = dir.resolve("data");
        Path file = storeOneFunction(data);
        Files.writeString(file, Files.readString(file).replaceFirst("\"createdAt\":\"[^\"]+\"", "\"createdAt\":\"x\""));
        RegistryStoreException e = assertThrows(RegistryStoreException.class, () -> Gateways.start(data, Map.of()));
        assertTrue(e.getMessage().startsWith(file + ": corrupt store file: createdAt: x is not an ISO-8601 instant"),
                e.getMessage());
    }

    @Test
    void storedFunctionAlsoDeclaredInTheConfigurationStopsTheStart() throws Exception {
        Path data = dir.resolve("data");
        Path file = storeOneFunction(data);
        String id = file.getFileName().toString().replace(".json", "");
        RegistryStoreException e = assertThrows(RegistryStoreException.class, () -> Gateways.start(data, Map.of(
                "functions.0.id", id, "functions.0.name", "clash")));
        assertTrue(e.getMessage().contains("also declared in the configuration"), e.getMessage());
    }

    /** Creates one function through the API and returns its store file. */
    private static Path storeOneFunction(Path data) {
        try (Gateway gateway = Gateways.start(data, Map.of())) {
            Admin.Reply r = new Admin(gateway.adminPort()).call("POST", "/functions", "{\"name\":\"stored\"}");
            assertEquals(200, r.status());
            UUID id = UUID.fromString(r.json().getJsonObject("function").getString("id"));
            Path file = data.resolve("functions").resolve(id + ".json");
            assertTrue(Files.exists(file));
            return file.toAbsolutePath();
        }
    }
}
