package io.fngate.e2e.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.KeyStore;
import io.fngate.auth.Scope;
import io.fngate.management.ManagementApi;
import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.RegistryStore;
import io.fngate.server.Gateway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document the gateway serves ({@code GET /openapi.yaml}) against the gateway itself: every served
 * management route is documented with its scopes, every documented one is served, and each status a route documents
 * is answered by a request made for it (the table below: one case per route and status).
 * <p>
 * Invocation routes (public socket) are documented too; their cases are to be added to {@link #invocationCases()}
 * the same way, against {@link #gateway}'s public port. Until there is one, their check is skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {
    static final String STATIC_FN = "4b9d0c6e-1111-4c55-9a1e-3b9b6f0c2d11";
    static final String STATIC_V = "4b9d0c6e-2222-4c55-9a1e-3b9b6f0c2d11";
    /** A key with a scope no management route takes. */
    static final String NO_SCOPE = "contract-queue-only-0123456789";
    static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "options", "head");
    static final String BIG = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";

    Path dataDir;
    Gateway gateway;
    Admin admin;
    Map<String, Object> document;
    String fn;
    String v;
    String v2;
    final AtomicInteger ports = new AtomicInteger(20_000);

    /** A documented operation: where it is served, and what it answers. */
    record Operation(String socket, String method, String path, Set<String> statuses, Set<String> scopes) {
        String key() {
            return method + " " + path;
        }
    }

    /** One request: path (with query), body, Content-Type and key (null: none). */
    record Call(String path, String body, String contentType, String key) {
    }

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory("fngate-contract");
        gateway = Gateways.start(dataDir, Map.of(
                "auth.keys.0", NO_SCOPE + " scopes=queue_details name=queue-only",
                "functions.0.id", STATIC_FN,
                "functions.0.name", "from-config",
                "functions.0.versions.0.id", STATIC_V,
                "functions.0.versions.0.instances.0.url", "http://127.0.0.1:1"));
        admin = new Admin(gateway.adminPort());
        JsonObject f = admin.call("POST", "/functions", "{\"name\":\"contract\"}").json().getJsonObject("function");
        fn = f.getString("id");
        v = f.getString("versionId");
        v2 = admin.call("POST", "/functions/" + fn + "/versions", "{}").json().getJsonObject("function")
                .getString("versionId");
        assertEquals(200, admin.call("POST", "/deployments/functions/" + fn + "/versions/" + v,
                "{\"instances\":[\"http://127.0.0.1:2\"]}").status());
        HttpResponse<String> served = send("GET", "/openapi.yaml", new Call("/openapi.yaml", null, null, null));
        assertEquals(200, served.statusCode());
        assertEquals("application/yaml", served.headers().firstValue("Content-Type").orElse(""));
        document = new Yaml(new SafeConstructor(new LoaderOptions())).load(served.body());
    }

    @AfterAll
    void stop() throws IOException {
        gateway.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theServedDocumentIsOpenApi31() {
        assertEquals("3.1.0", document.get("openapi"));
        assertNotNull(map(document, "info").get("title"));
        for (Operation op : operations()) {
            assertFalse(op.statuses().isEmpty(), op.key() + " documents no status");
            assertTrue(Set.of("admin", "public").contains(op.socket()), op.key() + ": x-fngate-socket " + op.socket());
        }
    }

    @Test
    void everyServedManagementRouteIsDocumentedWithItsScopes() {
        Map<String, Set<String>> served = new LinkedHashMap<>();
        ManagementApi.create(FunctionRegistry.builder().store(RegistryStore.memory()).build(),
                        ApiKeys.of(List.of(), KeyStore.memory(), Clock.systemUTC())).routes()
                .forEach(r -> served.put(r.method() + " " + r.path(),
                        r.scopes().stream().map(Scope::wire).collect(Collectors.toSet())));
        served.put("GET /openapi.yaml", Set.of());
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        operations().stream().filter(op -> op.socket().equals("admin"))
                .forEach(op -> documented.put(op.key(), op.scopes()));
        assertEquals(new TreeSet<>(served.keySet()), new TreeSet<>(documented.keySet()),
                "served and documented management routes");
        served.forEach((route, scopes) -> assertEquals(scopes, documented.get(route), route + ": scopes"));
    }

    @Test
    void everyDocumentedManagementStatusHasACase() {
        Set<String> documented = new TreeSet<>();
        operations().stream().filter(op -> op.socket().equals("admin"))
                .forEach(op -> op.statuses().forEach(s -> documented.add(op.key() + " " + s)));
        assertEquals(documented, new TreeSet<>(managementCases().keySet()));
    }

    Stream<Arguments> management() {
        return managementCases().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("management")
    void eachDocumentedStatusIsAnswered(String operation, Supplier<Call> request) {
        String[] parts = operation.split(" ");
        Call call = request.get();
        HttpResponse<String> r = send(parts[0], call.path(), call);
        assertEquals(Integer.parseInt(parts[2]), r.statusCode(), operation + ": " + call.path() + " -> " + r.body());
        if (!call.path().equals("/openapi.yaml")) {
            assertEquals(4, UUID.fromString(r.headers().firstValue("nvcf-reqid").orElseThrow()).version(), operation);
        }
        if (r.statusCode() >= 400) {
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), operation);
        }
    }

    /**
     * Cases for the invocation routes (public socket), keyed like {@link #managementCases()}: add them here; once there
     * is one, every documented invocation status must have one.
     */
    Map<String, Supplier<Call>> invocationCases() {
        return Map.of();
    }

    @Test
    void everyDocumentedInvocationStatusHasACase() {
        Set<String> documented = new TreeSet<>();
        operations().stream().filter(op -> op.socket().equals("public"))
                .forEach(op -> op.statuses().forEach(s -> documented.add(op.key() + " " + s)));
        assumeFalse(invocationCases().isEmpty(), "invocation cases still to be added: " + documented);
        assertEquals(documented, new TreeSet<>(invocationCases().keySet()));
    }

    /** One case per documented management route and status. */
    Map<String, Supplier<Call>> managementCases() {
        Map<String, Supplier<Call>> cases = new HashMap<>();
        for (Operation op : operations()) {
            if (!op.socket().equals("admin") || op.path().equals("/openapi.yaml")) {
                continue;
            }
            String m = op.method();
            String p = op.path();
            String body = validBody(m, p);
            cases.put(op.key() + " 401", () -> new Call(ids(p), body, json(body), null));
            cases.put(op.key() + " 403", () -> new Call(ids(p), body, json(body), NO_SCOPE));
            if (op.statuses().contains("400")) {
                cases.put(op.key() + " 400", () -> badRequest(m, p));
            }
            cases.put(op.key() + " 404", () -> new Call(ids(p), body, json(body), Admin.KEY));
            cases.put(op.key() + " 413", () -> new Call(ids(p), BIG, "application/json", Admin.KEY));
            cases.put(op.key() + " 415", () -> new Call(ids(p), "x", "text/plain", Admin.KEY));
        }
        String fns = "/v2/nvcf/functions";
        String version = fns + "/" + fn + "/versions/" + v;
        String readOnly = fns + "/" + STATIC_FN + "/versions/" + STATIC_V;
        String deps = "/v2/nvcf/deployments/functions";
        String deployment = deps + "/" + fn + "/versions/" + v;
        String staticDeployment = deps + "/" + STATIC_FN + "/versions/" + STATIC_V;
        String instances = deployment + "/instances";
        cases.put("GET /openapi.yaml 200", () -> new Call("/openapi.yaml", null, null, null));
        ok(cases, "GET /v2/nvcf/functions 200", () -> fns, null);
        ok(cases, "POST /v2/nvcf/functions 200", () -> fns, "{\"name\":\"made\"}");
        ok(cases, "GET /v2/nvcf/functions/ids 200", () -> fns + "/ids", null);
        ok(cases, "GET /v2/nvcf/functions/{functionId}/versions 200", () -> fns + "/" + fn + "/versions", null);
        ok(cases, "POST /v2/nvcf/functions/{functionId}/versions 200", () -> fns + "/" + fn + "/versions", "{}");
        ok(cases, "POST /v2/nvcf/functions/{functionId}/versions 409", () -> fns + "/" + STATIC_FN + "/versions", "{}");
        ok(cases, "GET /v2/nvcf/functions/{functionId}/versions/{versionId} 200", () -> version, null);
        ok(cases, "PUT /v2/nvcf/functions/{functionId}/versions/{versionId} 200", () -> version, "{\"tags\":[\"a\"]}");
        ok(cases, "PUT /v2/nvcf/functions/{functionId}/versions/{versionId} 409", () -> readOnly, "{\"tags\":[\"a\"]}");
        ok(cases, "DELETE /v2/nvcf/functions/{functionId}/versions/{versionId} 204", () -> {
            JsonObject f = created();
            return fns + "/" + f.getString("id") + "/versions/" + f.getString("versionId");
        }, null);
        ok(cases, "DELETE /v2/nvcf/functions/{functionId}/versions/{versionId} 409", () -> version, null);
        ok(cases, "PUT /v2/nvcf/metadata/functions/{functionId}/versions/{versionId} 200",
                () -> "/v2/nvcf/metadata/functions/" + fn + "/versions/" + v, "{\"tags\":[\"b\"]}");
        ok(cases, "PUT /v2/nvcf/metadata/functions/{functionId}/versions/{versionId} 409",
                () -> "/v2/nvcf/metadata/functions/" + STATIC_FN + "/versions/" + STATIC_V, "{\"tags\":[\"b\"]}");
        ok(cases, "POST /v2/nvcf/deployments/functions/{functionId}/versions/{versionId} 200", () -> {
            JsonObject f = created();
            return deps + "/" + f.getString("id") + "/versions/" + f.getString("versionId");
        }, "{\"deploymentSpecifications\":[{\"gpu\":\"L40S\",\"instances\":[\"http://127.0.0.1:4\"]}]}");
        ok(cases, "POST /v2/nvcf/deployments/functions/{functionId}/versions/{versionId} 409", () -> deployment,
                "{\"instances\":[]}");
        ok(cases, "PUT /v2/nvcf/deployments/functions/{functionId}/versions/{versionId} 200", () -> deployment,
                "{\"instances\":[\"http://127.0.0.1:2\"]}");
        ok(cases, "PUT /v2/nvcf/deployments/functions/{functionId}/versions/{versionId} 409", () -> staticDeployment,
                "{\"instances\":[]}");
        ok(cases, "GET /v2/nvcf/deployments/functions/{functionId}/versions/{versionId} 200", () -> deployment, null);
        ok(cases, "DELETE /v2/nvcf/deployments/functions/{functionId}/versions/{versionId} 200", () -> {
            JsonObject f = created();
            String d = "/deployments/functions/" + f.getString("id") + "/versions/" + f.getString("versionId");
            assertEquals(200, admin.call("POST", d, "{\"instances\":[]}").status());
            return "/v2/nvcf" + d;
        }, null);
        ok(cases, "DELETE /v2/nvcf/deployments/functions/{functionId}/versions/{versionId} 409",
                () -> staticDeployment, null);
        String instancesPath = "POST /v2/nvcf/deployments/functions/{functionId}/versions/{versionId}/instances";
        cases.put(instancesPath + " 201", () -> new Call(instances, registration(ports.incrementAndGet()),
                "application/json", Admin.KEY));
        cases.put(instancesPath + " 200", () -> {
            int port = ports.incrementAndGet();
            register(port);
            return new Call(instances, registration(port), "application/json", Admin.KEY);
        });
        ok(cases, instancesPath + " 409", () -> deps + "/" + fn + "/versions/" + v2 + "/instances", registration(3));
        String instancePath = instancesPath.substring("POST ".length()) + "/{instanceId}";
        ok(cases, "PUT " + instancePath + " 200", () -> instances + "/" + register(ports.incrementAndGet()), null);
        ok(cases, "DELETE " + instancePath + " 204", () -> instances + "/" + register(ports.incrementAndGet()), null);
        ok(cases, "DELETE " + instancePath + " 409", () -> instances + "/" + admin.call("GET",
                "/deployments/functions/" + fn + "/versions/" + v, null).json().getJsonObject("deployment")
                .getJsonArray("instances").getJsonObject(0).getString("id"), null);
        ok(cases, "POST /v2/nvcf/keys 200", () -> "/v2/nvcf/keys", "{\"name\":\"k\",\"scopes\":[\"list_functions\"]}");
        ok(cases, "GET /v2/nvcf/keys 200", () -> "/v2/nvcf/keys", null);
        ok(cases, "DELETE /v2/nvcf/keys/{keyId} 204", () -> "/v2/nvcf/keys/" + admin.call("POST", "/keys",
                "{\"name\":\"doomed\",\"scopes\":[\"list_functions\"]}").json().getJsonObject("key").getString("id"), null);
        ok(cases, "DELETE /v2/nvcf/keys/{keyId} 409", () -> "/v2/nvcf/keys/" + admin.call("GET", "/keys", null).json()
                .getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                .filter(k -> k.getString("source").equals("config")).findFirst().orElseThrow().getString("id"), null);
        // keep only statuses the document lists, so that a case without a documented status shows as a difference
        Set<String> documented = new java.util.HashSet<>();
        operations().forEach(op -> op.statuses().forEach(s -> documented.add(op.key() + " " + s)));
        Map<String, Supplier<Call>> kept = new HashMap<>();
        cases.forEach((k, c) -> {
            boolean generic = k.endsWith(" 401") || k.endsWith(" 403") || k.endsWith(" 404") || k.endsWith(" 413")
                    || k.endsWith(" 415") || k.endsWith(" 400");
            if (!generic || documented.contains(k)) {
                kept.put(k, c);
            }
        });
        return kept;
    }

    private static void ok(Map<String, Supplier<Call>> cases, String key, Supplier<String> path, String body) {
        cases.put(key, () -> new Call(path.get(), body, json(body), Admin.KEY));
    }

    /** A request that is wrong in the one thing the route reads first: an id in the path, else a field or query. */
    private static Call badRequest(String method, String path) {
        if (path.contains("{")) {
            return new Call(path.replaceFirst("\\{[A-Za-z]+}", "not-a-uuid").replaceAll("\\{[A-Za-z]+}",
                    UUID.randomUUID().toString()), validBody(method, path), json(validBody(method, path)), Admin.KEY);
        }
        return switch (method) {
            case "GET" -> new Call(path + "?visibility=everyone", null, null, Admin.KEY);
            default -> new Call(path, "{}", "application/json", Admin.KEY);
        };
    }

    /** A body that passes the route's checks, so that what fails is what the case is about. */
    private static String validBody(String method, String path) {
        if (method.equals("GET") || method.equals("DELETE")) {
            return null;
        }
        if (path.endsWith("/instances")) {
            return "{\"url\":\"http://127.0.0.1:3\"}";
        }
        if (path.endsWith("/{instanceId}")) {
            return null;
        }
        if (path.startsWith("/v2/nvcf/deployments/")) {
            return "{\"instances\":[]}";
        }
        if (path.equals("/v2/nvcf/keys")) {
            return "{\"name\":\"k\",\"scopes\":[\"list_functions\"]}";
        }
        if (method.equals("PUT")) {
            return "{\"tags\":[\"x\"]}";
        }
        return path.equals("/v2/nvcf/functions") ? "{\"name\":\"valid\"}" : "{}";
    }

    private static String json(String body) {
        return body == null ? null : "application/json";
    }

    private static String ids(String template) {
        return template.replaceAll("\\{[A-Za-z]+}", UUID.randomUUID().toString());
    }

    private static String registration(int port) {
        return "{\"url\":\"http://127.0.0.1:" + port + "\",\"ttl\":\"PT1H\"}";
    }

    private JsonObject created() {
        Admin.Reply r = admin.call("POST", "/functions", "{\"name\":\"case\"}");
        assertEquals(200, r.status());
        return r.json().getJsonObject("function");
    }

    /** Registers an instance of the fixture's deployed version; returns its id. */
    private String register(int port) {
        Admin.Reply r = admin.call("POST", "/deployments/functions/" + fn + "/versions/" + v + "/instances",
                registration(port));
        assertTrue(r.status() == 200 || r.status() == 201, r.json().toString());
        return r.json().getJsonObject("instance").getString("id");
    }

    /** Every operation of the document, with its socket, documented statuses (not {@code default}) and scopes. */
    List<Operation> operations() {
        List<Operation> result = new ArrayList<>();
        map(document, "paths").forEach((path, value) -> {
            Map<String, Object> item = cast(value);
            String socket = String.valueOf(item.get("x-fngate-socket"));
            for (String method : METHODS) {
                if (!item.containsKey(method)) {
                    continue;
                }
                Map<String, Object> op = cast(item.get(method));
                Set<String> statuses = new TreeSet<>(map(op, "responses").keySet());
                statuses.remove("default");
                Set<String> scopes = new TreeSet<>();
                List<Object> security = op.containsKey("security") ? cast(op.get("security")) : List.of();
                for (Object requirement : security) {
                    Map<String, Object> r = cast(requirement);
                    List<Object> roles = cast(r.get("bearer"));
                    assertEquals(1, roles.size(), path + " " + method + ": one scope per requirement (any one suffices)");
                    scopes.add(String.valueOf(roles.getFirst()));
                }
                result.add(new Operation(socket, method.toUpperCase(java.util.Locale.ROOT), path, statuses, scopes));
            }
        });
        return result;
    }

    private HttpResponse<String> send(String method, String path, Call call) {
        int port = path.startsWith("/v2/nvcf/pexec") || path.startsWith("/v2/nvcf/exec") || path.equals("/health")
                ? gateway.publicPort() : gateway.adminPort();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.key() != null) {
            b.header("Authorization", "Bearer " + call.key());
        }
        if (call.contentType() != null) {
            b.header("Content-Type", call.contentType());
        }
        try {
            return Gateways.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return cast(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    static JsonObject parse(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
