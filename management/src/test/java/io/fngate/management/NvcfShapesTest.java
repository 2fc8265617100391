package io.fngate.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.RegistryStore;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NVCF's own request bodies, as its clients send them, against the management API: NVCF's status codes, wrappers
 * and field names come back, every field NVCF accepts is kept and returned, and secret values go nowhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NvcfShapesTest {
    static final String FN = "/v2/nvcf/functions";
    static final String DEP = "/v2/nvcf/deployments/functions";
    static final String SECRET = "nvapi-Sup3rS3cretValue-0123";
    static final String NESTED_SECRET = "hf_N3stedS3cret";
    /** A create-function body with every field NVCF's create request takes (but helmChart, exclusive with an image). */
    static final String LLAMA = """
            {"name": "llama-3-8b",
             "description": "Llama 3 8B instruct",
             "tags": ["llm", "llama"],
             "inferenceUrl": "/v1/chat/completions",
             "inferencePort": 8000,
             "containerImage": "nvcr.io/nim/meta/llama3-8b-instruct:1.0.0",
             "containerArgs": "--max-model-len 8192",
             "containerEnvironment": [{"key": "NIM_LOG_LEVEL", "value": "INFO"}],
             "apiBodyFormat": "CUSTOM",
             "health": {"protocol": "HTTP", "uri": "/v1/health/ready", "port": 8000, "timeout": "PT10S",
                        "expectedStatusCode": 200},
             "models": [{"name": "llama3", "version": "1.0", "uri": "ngc://nvidia/llama3/1.0"}],
             "resources": [{"name": "tokenizer", "version": "1", "uri": "ngc://nvidia/tok/1"}],
             "secrets": [{"name": "NGC_API_KEY", "value": "%s"}, {"name": "HF", "value": {"token": "%s"}}],
             "functionType": "STREAMING",
             "rateLimit": {"rateLimit": "100-M", "exemptedNcaIds": [], "syncCheck": false},
             "telemetries": {"logsTelemetryId": "5a0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f"}}
            """.formatted(SECRET, NESTED_SECRET);
    /** NVCF's deployment body: GPU shapes, no instance URLs (NVCF starts the containers itself). */
    static final String NVCF_DEPLOYMENT = """
            {"deploymentSpecifications": [
              {"gpu": "L40S", "instanceType": "gl40s_1.br25_2xlarge", "backend": "GFN", "minInstances": 1,
               "maxInstances": 2, "maxRequestConcurrency": 4}]}
            """;

    final RegistryStore store = RegistryStore.memory();
    final List<String> logged = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record.getMessage() + " " + record.getParameters() + " " + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    ApiServer api;

    @BeforeAll
    void start() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("io.fngate").setLevel(Level.ALL);
        api = new ApiServer(FunctionRegistry.builder().store(store).build());
    }

    @AfterAll
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("io.fngate").setLevel(null);
        api.close();
    }

    @Test
    void aFunctionWithEveryNvcfFieldRoundTrips() {
        ApiServer.Reply created = api.call("POST", FN, LLAMA);
        assertEquals(200, created.status(), created.body());
        JsonObject fn = created.json().getJsonObject("function");
        JsonObject sent = json(LLAMA);
        for (String field : List.of("name", "description", "tags", "inferenceUrl", "inferencePort", "containerImage",
                "containerArgs", "containerEnvironment", "apiBodyFormat", "models", "resources", "functionType",
                "rateLimit", "telemetries")) {
            assertEquals(sent.get(field), fn.get(field), field);
        }
        assertEquals(sent.getJsonObject("health"), fn.getJsonObject("health"));
        assertEquals("/v1/health/ready", fn.getString("healthUri"));
        assertEquals(Json.createArrayBuilder().add("NGC_API_KEY").add("HF").build(), fn.getJsonArray("secrets"),
                "secrets come back as names");
        assertEquals("INACTIVE", fn.getString("status"));
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, fn.getJsonArray("activeInstances"));

        String path = FN + "/" + fn.getString("id") + "/versions/" + fn.getString("versionId");
        JsonObject read = api.call("GET", path, null).json().getJsonObject("function");
        assertEquals(fn.getJsonArray("secrets"), read.getJsonArray("secrets"));
        assertEquals(fn.get("containerEnvironment"), read.get("containerEnvironment"));
        assertFalse(api.call("GET", path + "?includeSecrets=false", null).json().getJsonObject("function")
                .containsKey("secrets"));

        String everything = created.body() + api.call("GET", FN, null).body() + api.call("GET", path, null).body()
                + store.load().toString() + loggedText();
        assertFalse(everything.contains(SECRET), "a secret value was returned, stored or logged");
        assertFalse(everything.contains(NESTED_SECRET), "a secret value was returned, stored or logged");
    }

    @Test
    void llmFunctionsAreAccepted() {
        ApiServer.Reply r = api.call("POST", FN, """
                {"name": "llm", "functionType": "LLM", "inferenceUrl": "/v1/chat/completions",
                 "models": [{"name": "m", "llmConfig": {"uris": ["/v1/chat/completions"]}}]}""");
        assertEquals(200, r.status(), r.body());
        assertEquals("LLM", r.json().getJsonObject("function").getString("functionType"));
    }

    @Test
    void aDeploymentInNvcfFormWithoutInstancesSaysSo() {
        JsonObject fn = create("{\"name\":\"gpu-shaped\"}");
        String dep = DEP + "/" + fn.getString("id") + "/versions/" + fn.getString("versionId");
        ApiServer.Reply deployed = api.call("POST", dep, NVCF_DEPLOYMENT);
        assertEquals(200, deployed.status(), deployed.body());
        JsonObject d = deployed.json().getJsonObject("deployment");
        assertEquals("DEPLOYING", d.getString("functionStatus"));
        assertTrue(d.getString("statusReason").contains("no instance"), d.getString("statusReason"));
        assertEquals(d.getString("statusReason"), d.getJsonArray("healthInfo").getJsonObject(0).getString("error"));
        JsonObject spec = json(NVCF_DEPLOYMENT).getJsonArray("deploymentSpecifications").getJsonObject(0);
        assertEquals(Json.createObjectBuilder(spec).add("instances", JsonValue.EMPTY_JSON_ARRAY).build(),
                d.getJsonArray("deploymentSpecifications").getJsonObject(0), "NVCF's specification comes back");
        assertEquals(4, d.getInt("maxRequestConcurrency"));
        JsonObject listed = api.call("GET", FN + "/" + fn.getString("id") + "/versions/" + fn.getString("versionId"),
                null).json().getJsonObject("function");
        assertEquals("DEPLOYING", listed.getString("status"));
        assertEquals(d.getString("statusReason"), listed.getString("statusReason"));
        synchronized (logged) {
            assertTrue(logged.stream().anyMatch(l -> l.contains(fn.getString("versionId"))
                    && l.contains("without any instance")), "logged: " + logged);
        }
    }

    @Test
    void severalSpecificationsWithTheirInstancesServeTheVersion() {
        JsonObject fn = create("{\"name\":\"two-shapes\"}");
        String dep = DEP + "/" + fn.getString("id") + "/versions/" + fn.getString("versionId");
        ApiServer.Reply deployed = api.call("POST", dep, """
                {"deploymentSpecifications": [
                  {"gpu": "L40S", "instanceType": "a", "maxInstances": 1, "maxRequestConcurrency": 2,
                   "instances": ["http://127.0.0.1:9001"]},
                  {"gpu": "H100", "instanceType": "b", "backend": "dgxc", "minInstances": 0, "maxInstances": 3,
                   "clusters": ["c1"], "regions": ["us-east-1"], "availabilityZones": ["us-east-1a"],
                   "configuration": {"any": ["json"]}, "autoscalingConfiguration": {"x": 1}, "preferredOrder": 2,
                   "attributes": ["x"], "instances": [{"url": "http://127.0.0.1:9002"}, "http://127.0.0.1:9003"]}]}""");
        assertEquals(200, deployed.status(), deployed.body());
        JsonObject d = deployed.json().getJsonObject("deployment");
        assertEquals("ACTIVE", d.getString("functionStatus"), "no health check: every instance serves at once");
        assertFalse(d.containsKey("statusReason"));
        assertEquals(2, d.getInt("maxRequestConcurrency"));
        JsonArray specs = d.getJsonArray("deploymentSpecifications");
        assertEquals(List.of("http://127.0.0.1:9002", "http://127.0.0.1:9003"), specs.getJsonObject(1)
                .getJsonArray("instances").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList());
        assertEquals(json("{\"any\":[\"json\"]}"), specs.getJsonObject(1).getJsonObject("configuration"));

        JsonObject version = api.call("GET", FN + "/" + fn.getString("id") + "/versions/" + fn.getString("versionId"),
                null).json().getJsonObject("function");
        List<JsonObject> active = version.getJsonArray("activeInstances").getValuesAs(JsonObject.class);
        assertEquals(3, active.size());
        assertEquals(List.of("L40S", "H100", "H100"), active.stream().map(i -> i.getString("gpu")).toList());
        assertTrue(active.stream().allMatch(i -> i.getString("instanceStatus").equals("ACTIVE")
                && i.getString("functionVersionId").equals(fn.getString("versionId"))), active.toString());

        ApiServer.Reply undeployed = api.call("DELETE", dep + "?graceful=true", null);
        assertEquals(200, undeployed.status(), undeployed.body());
        JsonObject after = undeployed.json().getJsonObject("function");
        assertEquals("INACTIVE", after.getString("status"));
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, after.getJsonArray("activeInstances"));
    }

    @Test
    void metadataChangesWithNvcfsUpdateBodyOnBothRoutes() {
        JsonObject fn = create("""
                {"name": "updatable", "tags": ["a"], "models": [{"name": "m1", "llmConfig": {"uris": ["/x"]}},
                 {"name": "m2"}]}""");
        String ids = "/functions/" + fn.getString("id") + "/versions/" + fn.getString("versionId");
        ApiServer.Reply updated = api.call("PUT", "/v2/nvcf" + ids, """
                {"tags": ["b", "c"], "rateLimit": {"rateLimit": "10-S"}, "description": "now described",
                 "modelUpdates": [{"modelName": "m1", "llmConfig": {"routingMethod": "round-robin"}}]}""");
        assertEquals(200, updated.status(), updated.body());
        JsonObject v = updated.json().getJsonObject("function");
        assertEquals(Json.createArrayBuilder().add("b").add("c").build(), v.getJsonArray("tags"));
        assertEquals("now described", v.getString("description"));
        assertEquals(json("{\"rateLimit\":\"10-S\"}"), v.getJsonObject("rateLimit"));
        assertEquals(Json.createReader(new StringReader("""
                [{"name": "m1", "llmConfig": {"uris": ["/x"], "routingMethod": "round-robin"}}, {"name": "m2"}]"""))
                .readArray(), v.getJsonArray("models"), "only the named model's llmConfig changes");

        ApiServer.Reply legacy = api.call("PUT", "/v2/nvcf/metadata" + ids, "{\"tags\":[\"d\"]}");
        assertEquals(200, legacy.status(), legacy.body());
        assertEquals(Json.createArrayBuilder().add("d").build(),
                legacy.json().getJsonObject("function").getJsonArray("tags"));
        assertEquals("now described", legacy.json().getJsonObject("function").getString("description"));
    }

    @Test
    void functionIdsAndVisibility() {
        JsonObject fn = create("{\"name\":\"listed\"}");
        ApiServer.Reply ids = api.call("GET", FN + "/ids", null);
        assertEquals(200, ids.status());
        assertEquals(Set.of("functionIds"), ids.json().keySet());
        assertTrue(ids.json().getJsonArray("functionIds").contains(Json.createValue(fn.getString("id"))));
        assertEquals(ids.json(), api.call("GET", FN + "/ids?visibility=private,authorized", null).json());
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, api.call("GET", FN + "/ids?visibility=public", null).json()
                .getJsonArray("functionIds"), "a gateway's functions are its own (private)");
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, api.call("GET", FN + "?visibility=authorized", null).json()
                .getJsonArray("functions"));
    }

    private JsonObject create(String body) {
        ApiServer.Reply r = api.call("POST", FN, body);
        assertEquals(200, r.status(), r.body());
        return r.json().getJsonObject("function");
    }

    private String loggedText() {
        synchronized (logged) {
            return String.join("\n", logged);
        }
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
