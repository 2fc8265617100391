package io.fngate.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.KeyStore;
import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.RegistryStore;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The management API table: every route with its success status and JSON shape, and every error status as
 * problem+json naming the field or the id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementApiTest {
    static final String S = "5a0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f";
    static final String SV = "6a0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f";
    static final String X = "00000000-0000-4000-8000-000000000000";
    static final String FN = "/v2/nvcf/functions";
    static final String DEP = "/v2/nvcf/deployments/functions";

    ApiServer api;
    String f;
    String v;
    String v2;

    @BeforeAll
    void start() {
        Config root = Config.just(ConfigSources.create(Map.of(
                "functions.0.id", S,
                "functions.0.name", "static-fn",
                "functions.0.versions.0.id", SV,
                "functions.0.versions.0.instances.0.url", "http://127.0.0.1:1")));
        api = new ApiServer(FunctionRegistry.builder().config(root.get("registry")).functions(root.get("functions"))
                .store(RegistryStore.memory()).build());
        JsonObject created = api.call("POST", FN, "{\"name\":\"fixture\"}").json().getJsonObject("function");
        f = created.getString("id");
        v = created.getString("versionId");
        v2 = api.call("POST", FN + "/" + f + "/versions", "{}").json().getJsonObject("function").getString("versionId");
        assertEquals(200, api.call("POST", DEP + "/" + f + "/versions/" + v, "{\"instances\":[\"http://127.0.0.1:2\"]}")
                .status());
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void llmIsAFunctionType() {
        ApiServer.Reply created = api.call("POST", FN, "{\"name\":\"llm-1\",\"functionType\":\"LLM\"}");
        assertEquals(200, created.status());
        assertEquals("LLM", created.json().getJsonObject("function").getString("functionType"));
        assertEquals(400, api.call("POST", FN, "{\"name\":\"llm-2\",\"functionType\":\"CHAT\"}").status());
    }

    @Test
    void everyRouteAnswersWithItsStatusAndShape() {
        ApiServer.Reply created = api.call("POST", FN, """
                {"name":"echo-1","description":"an echo","tags":["demo"],"inferenceUrl":"/v1/echo",
                 "inferencePort":8000,"functionType":"STREAMING","containerImage":"nvcr.io/echo:1",
                 "health":{"protocol":"HTTP","uri":"/health","port":8001,"timeout":"PT2S","expectedStatusCode":204}}""");
        assertEquals(200, created.status(), created.body());
        assertEquals("application/json", created.contentType());
        JsonObject fn = created.json().getJsonObject("function");
        String id = fn.getString("id");
        String vid = fn.getString("versionId");
        assertEquals(Set.of("id", "versionId", "name", "description", "tags", "status", "inferenceUrl",
                "inferencePort", "functionType", "apiBodyFormat", "containerImage", "health", "healthUri", "createdAt",
                "activeInstances", "readOnly", "source"), fn.keySet());
        assertEquals("INACTIVE", fn.getString("status"));
        assertEquals("STREAMING", fn.getString("functionType"));
        assertEquals(Set.of("protocol", "uri", "port", "timeout", "expectedStatusCode"),
                fn.getJsonObject("health").keySet());
        assertEquals(List.of(), fn.getJsonArray("activeInstances"));
        assertFalse(fn.getBoolean("readOnly"));

        ApiServer.Reply version = api.call("POST", FN + "/" + id + "/versions", "{\"inferenceUrl\":\"/v2/echo\"}");
        assertEquals(200, version.status());
        String vid2 = version.json().getJsonObject("function").getString("versionId");
        assertEquals("echo-1", version.json().getJsonObject("function").getString("name"));
        assertFalse(version.json().getJsonObject("function").containsKey("description"),
                "description and tags belong to a version");

        JsonObject list = api.call("GET", FN, null).json();
        List<JsonObject> entries = list.getJsonArray("functions").getValuesAs(JsonObject.class);
        assertTrue(entries.stream().anyMatch(e -> e.getString("versionId").equals(vid2)));
        JsonObject configured = entries.stream().filter(e -> e.getString("id").equals(S)).findFirst().orElseThrow();
        assertTrue(configured.getBoolean("readOnly"));
        assertEquals("config", configured.getString("source"));
        assertEquals("ACTIVE", configured.getString("status"));
        assertEquals("ACTIVE", configured.getJsonArray("activeInstances").getJsonObject(0).getString("instanceStatus"));
        assertTrue(api.call("GET", FN + "/ids", null).json().getJsonArray("functionIds").getValuesAs(
                jakarta.json.JsonString.class).stream().anyMatch(s -> s.getString().equals(id)));

        assertEquals(2, api.call("GET", FN + "/" + id + "/versions", null).json().getJsonArray("functions").size());
        assertEquals(vid, api.call("GET", FN + "/" + id + "/versions/" + vid, null).json().getJsonObject("function")
                .getString("versionId"));

        String dep = DEP + "/" + id + "/versions/" + vid;
        ApiServer.Reply deployed = api.call("POST", dep, "{\"maxRequestConcurrency\":8,\"instances\":"
                + "[\"http://127.0.0.1:3\",{\"url\":\"http://localhost:4/\"}]}");
        assertEquals(200, deployed.status());
        JsonObject d = deployed.json().getJsonObject("deployment");
        assertEquals(Set.of("functionId", "functionVersionId", "functionStatus", "statusReason", "healthInfo",
                "deploymentSpecifications", "maxRequestConcurrency", "createdAt", "updatedAt", "readOnly",
                "instances"), d.keySet());
        assertEquals("DEPLOYING", d.getString("functionStatus"));
        assertEquals(Json.createReader(new java.io.StringReader("[{\"maxRequestConcurrency\":8,\"instances\":"
                + "[\"http://127.0.0.1:3\",\"http://localhost:4\"]}]")).readArray(), d.getJsonArray("deploymentSpecifications"),
                "fngate's short form is one specification");
        assertEquals("http://localhost:4", d.getJsonArray("instances").getJsonObject(1).getString("url"));
        assertEquals(Set.of("id", "url", "source", "health", "addedAt", "inFlight", "consecutiveFailures", "ejected"),
                d.getJsonArray("instances").getJsonObject(0).keySet());

        ApiServer.Reply replaced = api.call("PUT", dep, "{\"deploymentSpecifications\":[{\"gpu\":\"L40S\","
                + "\"maxInstances\":2,\"maxRequestConcurrency\":3,\"instances\":[\"http://127.0.0.1:3\"]}]}");
        assertEquals(200, replaced.status());
        assertEquals(3, replaced.json().getJsonObject("deployment").getInt("maxRequestConcurrency"));
        assertEquals(d.getJsonArray("instances").getJsonObject(0).getString("id"),
                replaced.json().getJsonObject("deployment").getJsonArray("instances").getJsonObject(0).getString("id"),
                "a URL kept in the deployment keeps its instance id");
        assertEquals(200, api.call("GET", dep, null).status());

        ApiServer.Reply registered = api.call("POST", dep + "/instances", "{\"url\":\"http://127.0.0.1:5\",\"ttl\":\"PT1M\"}");
        assertEquals(201, registered.status());
        JsonObject instance = registered.json().getJsonObject("instance");
        String iid = instance.getString("id");
        assertEquals(dep + "/instances/" + iid, registered.location());
        assertEquals("registered", instance.getString("source"));
        assertTrue(instance.containsKey("expiresAt"));
        ApiServer.Reply again = api.call("POST", dep + "/instances", "{\"url\":\"http://127.0.0.1:5\",\"ttl\":\"PT1M\"}");
        assertEquals(200, again.status());
        assertEquals(iid, again.json().getJsonObject("instance").getString("id"));
        assertEquals(200, api.call("PUT", dep + "/instances/" + iid, null).status());
        assertEquals(204, api.call("DELETE", dep + "/instances/" + iid, null).status());
        ApiServer.Reply undeployed = api.call("DELETE", dep, null);
        assertEquals(200, undeployed.status());
        assertEquals("INACTIVE", undeployed.json().getJsonObject("function").getString("status"));
        assertEquals(204, api.call("DELETE", FN + "/" + id + "/versions/" + vid, null).status());
        assertEquals(204, api.call("DELETE", FN + "/" + id + "/versions/" + vid2 + "?force=true", null).status());
        assertEquals(404, api.call("GET", FN + "/" + id + "/versions", null).status(), "the last version takes the "
                + "function with it");
    }

    Stream<Arguments> errors() {
        String ver = FN + "/" + f + "/versions/" + v;
        String dep = DEP + "/" + f + "/versions/" + v;
        String dep2 = DEP + "/" + f + "/versions/" + v2;
        String key = "Bearer " + ApiServer.KEY;
        return Stream.of(
                row("GET", FN, null, null, 401, "unauthorized", "Authorization: Bearer"),
                row("GET", FN, null, "Basic YTpi", 401, "unauthorized", "not a bearer token"),
                row("GET", FN, null, "Bearer not-the-admin-key-at-all", 401, "unauthorized", "not valid"),
                row("POST", FN, "{\"name\":", key, 400, "invalid-request", "body: not valid JSON"),
                row("POST", FN, "[]", key, 400, "invalid-request", "body: expected a JSON object"),
                row("POST", FN, null, key, 400, "invalid-request", "body: missing"),
                row("POST", FN, "{\"name\":\"a\",\"colour\":1}", key, 400, "invalid-request", "colour: unknown field"),
                row("POST", FN, "{\"description\":\"no name\"}", key, 400, "invalid-request", "name: missing"),
                row("POST", FN, "{\"name\":\"has space\"}", key, 400, "invalid-request", "name: has space"),
                row("POST", FN, "{\"name\":7}", key, 400, "invalid-request", "name: expected a string"),
                row("POST", FN, "{\"name\":\"a\",\"inferenceUrl\":\"v1\"}", key, 400, "invalid-request",
                        "inferenceUrl: v1"),
                row("POST", FN, "{\"name\":\"a\",\"inferencePort\":70000}", key, 400, "invalid-request",
                        "inferencePort: expected an integer from 1 to 65535"),
                row("POST", FN, "{\"name\":\"a\",\"functionType\":\"GPU\"}", key, 400, "invalid-request",
                        "functionType: GPU (expected: DEFAULT, STREAMING or LLM)"),
                row("POST", FN, "{\"name\":\"a\",\"containerImage\":7}", key, 400, "invalid-request",
                        "containerImage: expected a string"),
                row("POST", FN, "{\"name\":\"a\",\"apiBodyFormat\":\"XML\"}", key, 400, "invalid-request",
                        "apiBodyFormat: XML (expected: PREDICT_V2 or CUSTOM)"),
                row("POST", FN, "{\"name\":\"a\",\"secrets\":[{\"name\":\"k\"}]}", key, 400, "invalid-request",
                        "secrets[0].value: missing"),
                row("POST", FN, "{\"name\":\"a\",\"secrets\":[{\"name\":\"k\",\"value\":\"s3cr3t\"},"
                        + "{\"name\":\"k\",\"value\":\"s3cr3t\"}]}", key, 400, "invalid-request",
                        "secrets[1].name: k is listed twice"),
                row("POST", FN, "{\"name\":\"a\",\"models\":[{\"version\":\"1\"}]}", key, 400, "invalid-request",
                        "models[0].name: missing"),
                row("POST", FN, "{\"name\":\"a\",\"rateLimit\":\"10-S\"}", key, 400, "invalid-request",
                        "rateLimit: expected a JSON object"),
                row("POST", FN, "{\"name\":\"a\",\"tags\":[\"\"]}", key, 400, "invalid-request",
                        "tags[0]: expected 1 to 128 characters"),
                row("PUT", ver, "{}", key, 400, "invalid-request", "body: names nothing to change"),
                row("PUT", ver, "{\"modelUpdates\":[{\"modelName\":\"m\",\"llmConfig\":{}}]}", key, 400,
                        "invalid-request", "modelUpdates[0].llmConfig: names nothing to change"),
                row("PUT", ver, "{\"modelUpdates\":[{\"modelName\":\"m\",\"llmConfig\":{\"routingMethod\":\"x\"}}]}",
                        key, 400, "invalid-request", "no model named m"),
                row("GET", FN + "?visibility=secret", null, key, 400, "invalid-request", "visibility: secret"),
                row("POST", FN, "{\"name\":\"a\",\"health\":{\"protocol\":\"gRPC\",\"uri\":\"/h\"}}", key, 400,
                        "invalid-request", "health.protocol: gRPC"),
                row("POST", FN, "{\"name\":\"a\",\"health\":{\"uri\":\"/h\",\"timeout\":\"10s\"}}", key, 400,
                        "invalid-request", "health.timeout: 10s is not an ISO-8601 duration"),
                row("POST", FN, "{\"name\":\"a\",\"health\":{\"path\":\"/h\"}}", key, 400, "invalid-request",
                        "health.path: unknown field"),
                row("POST", FN, "{\"name\":\"a\",\"health\":{}}", key, 400, "invalid-request", "health.uri: missing"),
                row("GET", FN + "/not-a-uuid/versions", null, key, 400, "invalid-request",
                        "functionId: not-a-uuid is not a UUID"),
                row("GET", FN + "/" + f + "/versions/1-2-3-4-5", null, key, 400, "invalid-request", "versionId: 1-2-3"),
                row("PUT", dep + "/instances/zzz", null, key, 400, "invalid-request", "instanceId: zzz"),
                row("PUT", dep, "{\"instances\":[\"/relative\"]}", key, 400, "invalid-request",
                        "instances[0]: /relative is relative"),
                row("PUT", dep, "{\"instances\":[\"ftp://h:1\"]}", key, 400, "invalid-request",
                        "instances[0]: ftp://h:1 is not an http or https URL"),
                row("PUT", dep, "{\"instances\":[\"http://h:1/base\"]}", key, 400, "invalid-request",
                        "instances[0]: http://h:1/base must be a base URL"),
                row("PUT", dep, "{\"instances\":[{\"url\":\"h:1\"}]}", key, 400, "invalid-request",
                        "instances[0].url: h:1"),
                row("PUT", dep, "{\"instances\":[\"http://h:1\",\"http://H:1/\"]}", key, 400, "invalid-request",
                        "instances[1]: http://h:1 is listed twice"),
                row("PUT", dep, "{\"maxRequestConcurrency\":0}", key, 400, "invalid-request",
                        "maxRequestConcurrency: expected an integer from 1 to 16384"),
                row("PUT", dep, "{\"maxRequestConcurrency\":16385}", key, 400, "invalid-request",
                        "maxRequestConcurrency: expected an integer from 1 to 16384"),
                row("PUT", dep, "{\"maxRequestConcurrency\":1.5}", key, 400, "invalid-request",
                        "maxRequestConcurrency: expected an integer"),
                row("PUT", dep, "{\"deploymentSpecifications\":[]}", key, 400, "invalid-request",
                        "deploymentSpecifications: empty"),
                row("PUT", dep, "{\"deploymentSpecifications\":[{\"maxRequestConcurrency\":2},"
                        + "{\"maxRequestConcurrency\":4}]}", key, 400, "invalid-request",
                        "deploymentSpecifications[1].maxRequestConcurrency: 4 differs from 2"),
                row("PUT", dep, "{\"deploymentSpecifications\":[{\"instances\":[\"http://h:1\"]},"
                        + "{\"instances\":[\"http://h:1\"]}]}", key, 400, "invalid-request",
                        "deploymentSpecifications[1].instances[0]: http://h:1 is listed twice"),
                row("PUT", dep, "{\"deploymentSpecifications\":[{\"gpu\":80}]}", key, 400, "invalid-request",
                        "deploymentSpecifications[0].gpu: expected a string"),
                row("PUT", dep, "{\"deploymentSpecifications\":[{\"colour\":1}]}", key, 400, "invalid-request",
                        "deploymentSpecifications[0].colour: unknown field"),
                row("PUT", dep, "{\"deploymentSpecifications\":[{\"instances\":[\"x\"]}]}", key, 400,
                        "invalid-request", "deploymentSpecifications[0].instances[0]: x"),
                row("POST", dep + "/instances", "{\"ttl\":\"PT1M\"}", key, 400, "invalid-request", "url: missing"),
                row("POST", dep + "/instances", "{\"url\":\"http://h\",\"ttl\":\"PT0S\"}", key, 400,
                        "invalid-request", "ttl: PT0S (expected: from PT1S to PT24H)"),
                row("DELETE", ver + "?force=maybe", null, key, 400, "invalid-request", "force: maybe"),
                row("GET", FN + "/" + X + "/versions", null, key, 404, "function-not-found", X),
                row("POST", FN + "/" + X + "/versions", "{}", key, 404, "function-not-found", X),
                row("GET", FN + "/" + f + "/versions/" + X, null, key, 404, "version-not-found", X),
                row("POST", DEP + "/" + f + "/versions/" + X, "{}", key, 404, "version-not-found", X),
                row("GET", dep2, null, key, 404, "deployment-not-found", v2),
                row("PUT", dep2, "{}", key, 404, "deployment-not-found", "create it with POST"),
                row("DELETE", dep2, null, key, 404, "deployment-not-found", v2),
                row("PUT", dep + "/instances/" + X, null, key, 404, "instance-not-found", X),
                row("DELETE", dep + "/instances/" + X, null, key, 404, "instance-not-found", X),
                row("GET", "/v2/nvcf/nothing-here", null, key, 404, "route-not-found", "/v2/nvcf/nothing-here"),
                row("PATCH", FN, "{}", key, 405, "method-not-allowed", "GET, POST"),
                row("POST", dep2 + "/instances", "{\"url\":\"http://h\"}", key, 409, "version-not-deployed",
                        "create it"),
                row("POST", dep, "{}", key, 409, "deployment-exists", "PUT"),
                row("DELETE", ver, null, key, 409, "version-deployed", "force=true"),
                row("POST", FN + "/" + S + "/versions", "{}", key, 409, "read-only-function", "configuration"),
                row("POST", DEP + "/" + S + "/versions/" + SV, "{}", key, 409, "read-only-function", S),
                row("DELETE", FN + "/" + S + "/versions/" + SV + "?force=true", null, key, 409, "read-only-function", S),
                row("POST", DEP + "/" + S + "/versions/" + SV + "/instances", "{\"url\":\"http://h\"}", key, 409,
                        "read-only-function", S),
                row("POST", FN, "{\"name\":\"" + "x".repeat(ManagementService.MAX_BODY_BYTES) + "\"}", key, 413,
                        "body-too-large", "exceeds"));
    }

    @ParameterizedTest(name = "{0} {1} -> {4} {5}")
    @MethodSource("errors")
    void errorsAreProblemsNamingTheFieldOrId(String method, String path, String body, String auth, int status,
                                              String label, String detail) {
        ApiServer.Reply r = api.send(method, path, body, auth);
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        JsonObject p = r.json();
        assertEquals(Set.of("type", "title", "status", "detail", "instance", "requestId"), p.keySet());
        assertEquals("urn:fngate:problem-details:" + label, p.getString("type"));
        assertEquals(status, p.getInt("status"));
        assertTrue(p.getString("detail").contains(detail), p.getString("detail"));
        UUID requestId = UUID.fromString(p.getString("requestId"));
        assertEquals(4, requestId.version());
        assertEquals("urn:uuid:" + requestId, p.getString("instance"));
        assertEquals(requestId.toString(), r.header("nvcf-reqid"), "the problem names the request id of its header");
        if (status == 401) {
            assertEquals(auth != null && auth.startsWith("Bearer ") ? "Bearer realm=\"fngate\", error=\"invalid_token\""
                    : "Bearer realm=\"fngate\"", r.header("WWW-Authenticate"));
        }
    }

    Stream<Arguments> mediaTypes() {
        String dep = DEP + "/" + f + "/versions/" + v;
        String heartbeat = dep + "/instances/" + X;
        return Stream.of(
                Arguments.of("POST", FN, "{\"name\":\"t\"}", "text/plain", "Content-Type text/plain is not JSON"),
                Arguments.of("POST", FN, "name=t", "application/x-www-form-urlencoded",
                        "application/x-www-form-urlencoded is not JSON"),
                Arguments.of("POST", FN, "{\"name\":\"t\"}", null, "no Content-Type"),
                Arguments.of("POST", FN, "{\"name\":\"t\"}", "application/json; charset=ISO-8859-1",
                        "charset ISO-8859-1 is not supported"),
                Arguments.of("POST", FN, "{\"name\":\"t\"}", "application/jsonx", "application/jsonx is not JSON"),
                Arguments.of("POST", FN, "{\"name\":\"t\"}", "application/+json", "is not JSON"),
                Arguments.of("POST", FN, "{\"name\":\"t\"}", "text/json", "text/json is not JSON"),
                Arguments.of("POST", FN, "{\"name\":\"t\"}", ";;;", "names no media type"),
                Arguments.of("POST", FN, "{\"name\":\"t\"}", "", "names no media type"),
                Arguments.of("POST", FN, "{\"name\":\"t\"}", "application/json, text/plain", "is not JSON"),
                Arguments.of("POST", FN + "/" + f + "/versions", "{}", "text/plain", "is not JSON"),
                Arguments.of("PUT", dep, "{\"instances\":[]}", "application/xml", "is not JSON"),
                Arguments.of("POST", dep + "/instances", "{\"url\":\"http://h\"}", "text/plain", "is not JSON"),
                Arguments.of("PUT", heartbeat, "ping", "text/plain", "is not JSON"));
    }

    @ParameterizedTest(name = "{0} {1} as {3} -> 415")
    @MethodSource("mediaTypes")
    void writesWithABodyThatIsNotDeclaredJsonAre415AndChangeNothing(String method, String path, String body,
                                                                    String contentType, String detail) {
        String before = api.call("GET", FN, null).body();
        ApiServer.Reply r = api.send(method, path, body, "Bearer " + ApiServer.KEY, contentType);
        assertEquals(415, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("urn:fngate:problem-details:unsupported-media-type", r.json().getString("type"));
        assertTrue(r.json().getString("detail").contains(detail), r.json().getString("detail"));
        assertEquals(before, api.call("GET", FN, null).body());
    }

    @ParameterizedTest(name = "POST as {0} -> 200")
    @ValueSource(strings = {"application/json", "application/json;charset=utf-8", "Application/JSON; Charset=\"UTF-8\"",
            "application/vnd.nvcf.function+json", "application/json; profile=x"})
    void jsonMediaTypesWithParametersAreAccepted(String contentType) {
        ApiServer.Reply r = api.send("POST", FN, "{\"name\":\"typed\"}", "Bearer " + ApiServer.KEY, contentType);
        assertEquals(200, r.status(), r.body());
        String id = r.json().getJsonObject("function").getString("id");
        String vid = r.json().getJsonObject("function").getString("versionId");
        assertEquals(204, api.send("DELETE", FN + "/" + id + "/versions/" + vid, null, "Bearer " + ApiServer.KEY, null)
                .status());
    }

    @Test
    void requestsThatNeedNoBodyNeedNoContentType() {
        String dep = DEP + "/" + f + "/versions/" + v;
        String key = "Bearer " + ApiServer.KEY;
        ApiServer.Reply registered = api.call("POST", dep + "/instances", "{\"url\":\"http://127.0.0.1:9\"}");
        assertEquals(201, registered.status(), registered.body());
        String iid = registered.json().getJsonObject("instance").getString("id");
        assertEquals(200, api.send("PUT", dep + "/instances/" + iid, null, key, null).status());
        assertEquals(200, api.send("PUT", dep + "/instances/" + iid, "{}", key, "application/json").status());
        assertEquals(204, api.send("DELETE", dep + "/instances/" + iid, null, key, null).status());
        assertEquals(200, api.send("GET", FN, null, key, null).status());
        ApiServer.Reply empty = api.send("POST", FN, null, key, null);
        assertEquals(400, empty.status(), "a body that is needed and missing is a bad request, not a media type");
        assertTrue(empty.json().getString("detail").contains("body: missing"), empty.body());
    }

    @Test
    void withoutAnyKeyTheApiIsClosed() {
        try (ApiServer closed = new ApiServer(FunctionRegistry.builder().store(RegistryStore.memory()).build(),
                ApiKeys.of(List.of(), KeyStore.memory(), Clock.systemUTC()))) {
            assertEquals(401, closed.send("GET", FN, null, null).status());
            ApiServer.Reply r = closed.call("GET", FN, null);
            assertEquals(401, r.status());
            assertTrue(r.json().getString("detail").contains("No API key is configured"), r.body());
        }
    }

    @Test
    void everyResponseCarriesARequestId() {
        ApiServer.Reply listed = api.call("GET", FN, null);
        assertEquals(200, listed.status());
        assertEquals(4, UUID.fromString(listed.header("nvcf-reqid")).version());
        assertFalse(listed.header("nvcf-reqid").equals(api.call("GET", FN, null).header("nvcf-reqid")),
                "one id per request");
    }

    @Test
    void invalidBodiesChangeNothing() {
        int before = api.call("GET", FN, null).json().getJsonArray("functions").size();
        api.call("POST", FN, "{\"name\":\"a\",\"inferencePort\":0}");
        api.call("POST", FN + "/" + f + "/versions", "{\"health\":{\"uri\":\"x\"}}");
        assertEquals(before, api.call("GET", FN, null).json().getJsonArray("functions").size());
        assertEquals(UUID.fromString(f), UUID.fromString(api.call("GET", FN + "/" + f + "/versions/" + v, null).json()
                .getJsonObject("function").getString("id")));
    }

    private static Arguments row(String method, String path, String body, String auth, int status, String label,
                                 String detail) {
        return Arguments.of(method, path, body, auth, status, label, detail);
    }
}
