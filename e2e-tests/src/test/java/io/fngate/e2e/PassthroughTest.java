package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The spec text's invocation examples and exact passthrough of method, target, headers, status and body.
 */
class PassthroughTest {
    private static FakeFunction function;
    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        function = FakeFunction.start();
        gw = TestGateway.start(function.url(), Map.of());
    }

    @AfterAll
    static void stop() {
        gw.close();
        function.close();
    }

    private static JsonObject json(String body) {
        return Json.createReader(new java.io.StringReader(body)).readObject();
    }

    @Test
    void hostRoutedPostReachesTheFunctionWithBodyAndPlatformHeaders() throws Exception {
        // spec: "Invoke a function endpoint by using the function ID as the wildcard subdomain in the Host header"
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> res = gw.http1.send(HttpRequest.newBuilder(gw.uri("/v1/chat/completions"))
                .header("Host", TestGateway.invocationHost(TestGateway.FN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        JsonObject echo = json(res.body());
        assertEquals("POST", echo.getString("method"));
        assertEquals("/v1/chat/completions", echo.getString("path"));
        assertEquals(sha(body.getBytes(StandardCharsets.UTF_8)), echo.getString("bodySha256"));
        String reqId = res.headers().firstValue("nvcf-reqid").orElseThrow();
        assertEquals(4, UUID.fromString(reqId).version());
        assertEquals(reqId, echo.getJsonObject("headers").getJsonArray("nvcf-reqid").getString(0));
        assertEquals(TestGateway.FN.toString(),
                echo.getJsonObject("headers").getJsonArray("nvcf-function-id").getString(0));
        assertEquals(TestGateway.V1.toString(),
                echo.getJsonObject("headers").getJsonArray("nvcf-function-version-id").getString(0));
        assertEquals("echo", echo.getJsonObject("headers").getJsonArray("nvcf-function-name").getString(0));
        assertEquals("fulfilled", res.headers().firstValue("nvcf-status").orElseThrow());
        assertEquals("nvcf-reqid", res.headers().firstValue("access-control-expose-headers").orElseThrow());
    }

    @Test
    void versionSpecificHostRoutesToThatVersion() throws Exception {
        HttpResponse<String> res = gw.http1.send(HttpRequest.newBuilder(gw.uri("/x"))
                .header("Host", TestGateway.V1 + "." + TestGateway.FN + ".invocation.example.com").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        assertEquals(TestGateway.V1.toString(),
                json(res.body()).getJsonObject("headers").getJsonArray("nvcf-function-version-id").getString(0));
    }

    @Test
    void pathAndQueryArePreserved() throws Exception {
        // spec: "Function routes preserve endpoint paths and query parameters"
        HttpResponse<String> res = gw.http1.send(HttpRequest.newBuilder(
                        gw.uri("/v2/models/resnet/infer?verbose=true&top_k=5"))
                .header("Host", TestGateway.invocationHost(TestGateway.FN)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject echo = json(res.body());
        assertEquals("/v2/models/resnet/infer", echo.getString("path"));
        assertEquals("verbose=true&top_k=5", echo.getString("query"));
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void multipartPutWithAFileArrivesIntact(HttpClient.Version version) throws Exception {
        // spec: "You can also send multipart or binary-style payloads to a custom function endpoint"
        byte[] file = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(file);
        String boundary = "fngate-" + UUID.randomUUID();
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{\"k\":1}\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"image.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        multipart.write(file);
        multipart.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] body = multipart.toByteArray();
        HttpClient client = version == HttpClient.Version.HTTP_2 ? gw.http2 : gw.http1;
        HttpResponse<String> res = client.send(gw.request("/upload/image")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        JsonObject echo = json(res.body());
        assertEquals("PUT", echo.getString("method"));
        assertEquals(body.length, echo.getJsonNumber("bodyBytes").longValue());
        assertEquals(sha(body), echo.getString("bodySha256"));
        assertEquals("multipart/form-data; boundary=" + boundary,
                echo.getJsonObject("headers").getJsonArray("content-type").getString(0));
    }

    @ParameterizedTest(name = "container {0} -> nvcf-status {1}")
    @CsvSource({"200, fulfilled", "201, fulfilled", "202, in-progress", "400, errored", "404, errored",
            "422, errored", "500, errored", "503, errored"})
    void containerStatusAndErrorBodyPassThroughWithNvcfStatus(int code, String nvcfStatus) throws Exception {
        // spec: "If your container returns an error, clients receive the container status code and response body"
        HttpResponse<String> res = gw.http1.send(gw.request("/status/" + code).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(code, res.statusCode());
        assertEquals("{\"error\":\"container says " + code + "\",\"detail\":\"x\"}", res.body());
        assertEquals("application/json", res.headers().firstValue("content-type").orElseThrow());
        assertEquals(nvcfStatus, res.headers().firstValue("nvcf-status").orElseThrow());
        assertTrue(res.headers().firstValue("nvcf-reqid").isPresent());
    }

    @Test
    void redirectsArePassedThroughNotFollowed() throws Exception {
        HttpResponse<String> res = gw.http1.send(gw.request("/redirect").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, res.statusCode());
        assertEquals("/elsewhere", res.headers().firstValue("location").orElseThrow());
        assertEquals("fulfilled", res.headers().firstValue("nvcf-status").orElseThrow());
        assertFalse(function.paths.contains("/elsewhere"), "the gateway followed the redirect");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEAD /anything", "GET /empty/204", "GET /empty/304"})
    void headAnd204And304CarryNoBody(String request) throws Exception {
        try (RawClient raw = new RawClient(gw.port())) {
            for (int i = 0; i < 2; i++) { // twice on one connection: a stray body would corrupt the second
                raw.send(request + " HTTP/1.1\r\nHost: " + TestGateway.invocationHost(TestGateway.FN) + "\r\n\r\n");
                RawClient.Response res = raw.read(true);
                assertEquals(0, res.body().length);
                assertNotNull(res.header("nvcf-reqid"));
                if (request.startsWith("HEAD")) {
                    assertEquals(200, res.status());
                } else {
                    assertEquals(Integer.parseInt(request.substring(request.length() - 3)), res.status());
                }
            }
        }
    }

    @Test
    void sequentialRequestsReuseOneUpstreamConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, gw.http1.send(gw.request("/seq").build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
        assertTrue(gw.gateway.openUpstreamConnections() <= 2,
                "open upstream connections: " + gw.gateway.openUpstreamConnections());
    }

    @Test
    void http2ClientsAreServedThroughUpgrade() throws Exception {
        HttpResponse<String> res = gw.http2.send(gw.request("/h2?x=1").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, res.version());
        assertEquals("x=1", json(res.body()).getString("query"));
        assertFalse(json(res.body()).getJsonObject("headers").containsKey("http2-settings"));
    }

    @Test
    void http2PriorKnowledgeRoutesByAuthority() throws Exception {
        // curl sends the Host header as the HTTP/2 :authority pseudo-header
        Process curl = new ProcessBuilder("curl", "-sS", "--http2-prior-knowledge", "-D", "-",
                "-H", "Host: " + TestGateway.V1 + "." + TestGateway.FN + ".invocation.example.com",
                "http://127.0.0.1:" + gw.port() + "/via/authority?h2=1").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor(), out);
        assertTrue(out.startsWith("HTTP/2 200"), out);
        assertTrue(out.contains("\"path\":\"/via/authority\""), out);
        assertTrue(out.contains("\"query\":\"h2=1\""), out);
        assertTrue(out.contains(TestGateway.V1.toString()), out);
    }

    static String sha(byte[] bytes) {
        return HexFormat.of().formatHex(FakeFunction.sha256().digest(bytes));
    }
}
