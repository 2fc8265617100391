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
                "{\"name\":\"f\",\"tags\":[\"t\"],\"maxQueueSize\":50,\"containerImage\":\"nvcr.io/f:1\","
                + "\"health\":{\"uri\":\"/health\",\"timeout\":\"PT1S\"}}"));
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
    @ValueSource(strings = {"/schema", "/id", "/name", "/createdAt", "/versions",
            "/versions/0/versionId", "/versions/0/description", "/versions/0/tags", "/versions/0/inferenceUrl",
            "/versions/0/inferencePort", "/versions/0/functionType", "/versions/0/attributes", "/versions/0/secrets",
            "/versions/0/createdAt", "/versions/0/health/uri", "/versions/0/health/port",
            "/versions/0/health/expectedStatusCode", "/versions/0/deployment/specifications",
            "/versions/0/deployment/createdAt", "/versions/0/deployment/updatedAt", "/versions/0/deployment/instances",
            "/versions/0/deployment/instances/0/id", "/versions/0/deployment/instances/0/url",
            "/versions/0/deployment/instances/0/kind", "/versions/0/deployment/instances/0/addedAt",
            "/versions/0/deployment/instances/0/specification"})
    void aDocumentMissingAFieldFngateAlwaysWritesIsCorrupt(String pointer) {
        JsonObject document = Json.createPointer(pointer).remove(complete());
        assertEquals("corrupt store file: " + field(pointer) + ": missing", refusal(document));
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"/versions/0/health/timeout", "/versions/0/deployment/instances/1/ttl",
            "/versions/0/deployment/specifications/0/maxRequestConcurrency", "/maxQueueSize",
            "/versions/0/attributes/containerImage",
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
                    + "versions[0].deployment.instances[0].url: ftp://h:1 is not an http or https URL",
            "/versions/0/deployment/instances/0/url | \"/relative\" | "
                    + "versions[0].deployment.instances[0].url: /relative is relative",
            "/versions/0/deployment/maxRequestConcurrency | 0 | "
                    + "versions[0].deployment.maxRequestConcurrency: expected an integer from 1",
            "/versions/0/deployment/maxRequestConcurrency | 2 | "
                    + "versions[0].deployment.specifications[0].maxRequestConcurrency: 1 differs",
            "/versions/0/deployment/specifications | [] | versions[0].deployment.specifications: empty",
            "/versions/0/deployment/instances/0/specification | 1 | "
                    + "versions[0].deployment.instances[0].specification: expected an integer from 0 to 0",
            "/versions/0/attributes | {\"colour\":1} | versions[0].attributes.colour: unknown field",
            "/versions/0/attributes/containerImage | 7 | versions[0].attributes.containerImage: expected a string",
            "/versions/0/attributes | {\"apiBodyFormat\":\"XML\"} | versions[0].attributes.apiBodyFormat: XML",
            "/versions/0/deployment/specifications/0 | {\"gpu\":80} | "
                    + "versions[0].deployment.specifications[0].gpu: expected a string",
            "/versions/0/tags/0 | \"\" | versions[0].tags[0]: expected 1 to 128 characters",
            "/schema | 3 | schema: 3 is not supported"})
    void aDocumentWithAValueTheApiNeverAcceptsIsCorrupt(String pointer, String json, String message) {
        JsonObject document = Json.createPointer(pointer).replace(complete(), jsonValue(json));
        assertTrue(refusal(document).startsWith("corrupt store file: " + message), refusal(document));
    }

    /** What fngate wrote before versions had their own metadata and deployments had specifications. */
    static final String SCHEMA_1 = """
            {"schema":1,"id":"1e0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f","name":"old","description":"d","tags":["t"],
             "createdAt":"2026-01-01T00:00:00Z","maxQueueSize":5,"versions":[
              {"versionId":"2e0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f","inferenceUrl":"/v1","inferencePort":0,
               "functionType":"STREAMING","createdAt":"2026-01-01T00:00:00Z",
               "health":{"uri":"/health","port":0,"expectedStatusCode":200},
               "deployment":{"maxRequestConcurrency":4,"createdAt":"2026-01-01T00:00:00Z",
                "updatedAt":"2026-01-01T00:00:00Z","instances":[
                 {"id":"3e0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f","url":"http://127.0.0.1:7","kind":"DEPLOYMENT",
                  "addedAt":"2026-01-01T00:00:00Z"},
                 {"id":"4e0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f","url":"http://127.0.0.1:8","kind":"REGISTERED",
                  "ttl":"PT1M","addedAt":"2026-01-01T00:00:00Z"}]}}]}""";

    @Test
    void aSchema1DocumentLoadsAndIsWrittenAsSchema2() {
        FunctionSpec f = SpecJson.read(RegistryCoreTest.json(SCHEMA_1));
        VersionSpec v = f.versions().getFirst();
        assertEquals("d", v.description(), "the function's description goes to its versions");
        assertEquals(List.of("t"), v.tags());
        assertEquals(JsonObject.EMPTY_JSON_OBJECT, v.attributes());
        DeploymentSpec d = v.deployment().orElseThrow();
        assertEquals(4, d.maxRequestConcurrency());
        assertEquals(List.of(RegistryCoreTest.json("{\"maxRequestConcurrency\":4}")), d.specifications());
        assertEquals(java.util.OptionalInt.of(0), d.instances().get(0).specification());
        assertEquals(java.util.OptionalInt.empty(), d.instances().get(1).specification());
        JsonObject rewritten = SpecJson.write(f);
        assertEquals(2, rewritten.getInt("schema"));
        assertEquals(f, SpecJson.read(rewritten));
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
