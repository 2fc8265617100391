package io.fngate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stored document is loaded only when it is something fngate could have written: complete, with at least one
 * version, unique ids and the paths and URLs the API accepted. Anything else stops the start with "corrupt store
 * file" naming the file and the field, like a document that does not parse.
 */
class StoredDocumentTest {
    static final HealthSettings SETTINGS = new HealthSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 2,
            Duration.ofSeconds(30));
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    /**
     * A function with two versions: the first health-checked and deployed with a listed and a registered
     * instance, the second bare.
     */
    JsonObject complete() {
        RegistryStore memory = RegistryStore.memory();
        RegistryCore core = new RegistryCore(memory, List.of(), clock, SETTINGS);
        FunctionSpec f = core.createFunction(Drafts.function(
                "{\"name\":\"f\",\"tags\":[\"t\"],\"maxQueueSize\":50,\"health\":{\"uri\":\"/health\",\"timeout\":\"PT1S\"}}"));
        UUID v = f.versions().getFirst().id();
        core.addVersion(f.id(), Drafts.function("{}"));
        core.deploy(f.id(), v, RegistryCoreTest.deployment("http://127.0.0.1:7"), false);
        core.register(f.id(), v, RegistryCoreTest.registration("http://127.0.0.1:8", "PT1M"));
        return memory.load().get(f.id());
    }

    @Test
    void theCompleteDocumentLoads() {
        JsonObject document = complete();
        assertEquals(document, SpecJson.write(SpecJson.read(document)));
    }

    @Test
    void aFunctionWithoutVersionsStopsTheStartNamingTheFile() {
        JsonObject document = Json.createObjectBuilder(complete()).add("versions", JsonValue.EMPTY_JSON_ARRAY).build();
        UUID id = UUID.fromString(document.getString("id"));
        try (RegistryStore store = RegistryStore.directory(dir)) {
            store.put(id, document);
        }
        try (RegistryStore store = RegistryStore.directory(dir)) {
            RegistryStoreException e = assertThrows(RegistryStoreException.class,
                    () -> new RegistryCore(store, List.of(), clock, SETTINGS));
            assertTrue(e.getMessage().startsWith(dir.resolve("functions").resolve(id + ".json").toAbsolutePath()
                    + ": corrupt store file: versions: empty"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"/schema", "/id", "/name", "/description", "/tags", "/createdAt", "/versions",
            "/versions/0/versionId", "/versions/0/inferenceUrl", "/versions/0/inferencePort",
            "/versions/0/functionType", "/versions/0/createdAt", "/versions/0/health/uri", "/versions/0/health/port",
            "/versions/0/health/expectedStatusCode",
            "/versions/0/deployment/createdAt", "/versions/0/deployment/updatedAt", "/versions/0/deployment/instances",
            "/versions/0/deployment/instances/0/id", "/versions/0/deployment/instances/0/url",
            "/versions/0/deployment/instances/0/kind", "/versions/0/deployment/instances/0/addedAt"})
    void aDocumentMissingAFieldFngateAlwaysWritesIsCorrupt(String pointer) {
        JsonObject document = Json.createPointer(pointer).remove(complete());
        assertEquals("corrupt store file: " + field(pointer) + ": missing", refusal(document));
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"/versions/0/health/timeout", "/versions/0/deployment/instances/1/ttl",
            "/versions/0/deployment/maxRequestConcurrency", "/maxQueueSize",
            "/versions/0/deployment", "/versions/0/health"})
    void optionalFieldsMayBeAbsent(String pointer) {
        JsonObject document = Json.createPointer(pointer).remove(complete());
        assertEquals(document, SpecJson.write(SpecJson.read(document)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "/versions | [] | versions: empty",
            "/name | \"has space\" | name: has space",
            "/versions/0/inferenceUrl | \"v1\" | versions[0].inferenceUrl: v1 (expected: a path starting with /)",
            "/versions/0/health/uri | \"health\" | versions[0].health.uri: health (expected: a path",
            "/versions/0/deployment/instances/0/url | \"ftp://h:1\" | "
                    + "versions[0].deployment.instances[0].url: ftp://h:1 is not an http URL",
            "/versions/0/deployment/instances/0/url | \"/relative\" | "
                    + "versions[0].deployment.instances[0].url: /relative is relative",
            "/versions/0/deployment/maxRequestConcurrency | 0 | "
                    + "versions[0].deployment.maxRequestConcurrency: expected an integer from 1",
            "/schema | 2 | schema: 2 is not supported"})
    void aDocumentWithAValueTheApiNeverAcceptsIsCorrupt(String pointer, String json, String message) {
        JsonObject document = Json.createPointer(pointer).replace(complete(), jsonValue(json));
        assertTrue(refusal(document).startsWith("corrupt store file: " + message), refusal(document));
    }

    @Test
    void idsListedTwiceAreCorrupt() {
        JsonObject document = complete();
        JsonValue firstVersion = Json.createPointer("/versions/0/versionId").getValue(document);
        JsonObject twoSameVersions = Json.createPointer("/versions/1/versionId").replace(document, firstVersion);
        assertTrue(refusal(twoSameVersions).startsWith("corrupt store file: versions[1].versionId: "
                + ((JsonString) firstVersion).getString() + " is listed twice"), refusal(twoSameVersions));

        JsonValue firstInstance = Json.createPointer("/versions/0/deployment/instances/0/id").getValue(document);
        JsonObject twoSameInstances = Json.createPointer("/versions/0/deployment/instances/1/id")
                .replace(document, firstInstance);
        assertTrue(refusal(twoSameInstances).startsWith("corrupt store file: versions[0].deployment.instances[1].id: "),
                refusal(twoSameInstances));
    }

    /** Loads the document from a store and returns the refusal's message after the location. */
    private String refusal(JsonObject document) {
        UUID id = UUID.fromString(Optional.ofNullable(document.get("id")).map(v -> ((JsonString) v)
                .getString()).orElse(UUID.randomUUID().toString()));
        RegistryStore store = RegistryStore.memory();
        store.put(id, document);
        RegistryStoreException e = assertThrows(RegistryStoreException.class,
                () -> new RegistryCore(store, List.of(), clock, SETTINGS));
        String location = store.location(id) + ": ";
        assertTrue(e.getMessage().startsWith(location), e.getMessage());
        return e.getMessage().substring(location.length());
    }

    /** {@code /versions/0/health/uri} as the message names it: {@code versions[0].health.uri}. */
    private static String field(String pointer) {
        return pointer.substring(1).replaceAll("/(\\d+)", "[$1]").replace('/', '.');
    }

    private static JsonValue jsonValue(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }
}
