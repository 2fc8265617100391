package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every platform error of the catalogue, as a client sees it: status, problem+json shape, request id.
 */
class PlatformErrorsTest {
    static final UUID REFUSED = UUID.fromString("a0000000-0000-4000-8000-000000000001");
    static final UUID RESET = UUID.fromString("a0000000-0000-4000-8000-000000000002");
    static final UUID GARBAGE = UUID.fromString("a0000000-0000-4000-8000-000000000003");
    static final UUID TRUNCATED = UUID.fromString("a0000000-0000-4000-8000-000000000004");
    static final UUID BROKEN_REGISTRY = UUID.fromString("a0000000-0000-4000-8000-00000000dead");

    private static FakeFunction function;
    private static RawFunction resetting;
    private static RawFunction garbage;
    private static RawFunction truncated;
    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        function = FakeFunction.start();
        resetting = RawFunction.resetting();
        garbage = RawFunction.answering("NOT HTTP AT ALL\r\n\r\n");
        truncated = RawFunction.answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Registry registry = Registry.of(List.of(
                fn(TestGateway.FN, function.url()),
                new InferenceFunction(TestGateway.IDLE_FN, "idle", List.of(
                        new FunctionVersion(TestGateway.V2, List.of()))),
                fn(REFUSED, "http://127.0.0.1:" + closedPort),
                fn(RESET, resetting.url()),
                fn(GARBAGE, garbage.url()),
                fn(TRUNCATED, truncated.url())));
        Registry failing = new Registry() {
            @Override
            public Optional<InferenceFunction> function(UUID id) {
                if (id.equals(BROKEN_REGISTRY)) {
                    throw new IllegalStateException("secret internals /etc/fngate");
                }
                return registry.function(id);
            }

            @Override
            public Collection<InferenceFunction> functions() {
                return registry.functions();
            }
        };
        gw = TestGateway.start(failing, Map.of(
                "invocation.max-body-size", "1MiB",
                "invocation.response-start-timeout", "2s"));
    }

    private static InferenceFunction fn(UUID id, String url) {
        return new InferenceFunction(id, "fn", List.of(new FunctionVersion(TestGateway.V1, List.of(Instance.parse(url)))));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        function.close();
        resetting.close();
        garbage.close();
        truncated.close();
    }

    /**
     * Columns: Host (or "header:" + function-id value), path, extra header "name=value" or "-", status, label.
     */
    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @CsvSource(delimiter = '|', value = {
            "not-a-uuid.invocation.example.com | / | - | 400 | malformed-target",
            "header:1234 | / | - | 400 | malformed-target",
            "localhost | /anything | - | 404 | function-not-found",
            "00000000-0000-4000-8000-000000000000.invocation.example.com | / | - | 404 | function-not-found",
            "header:8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11 | / | function-version-id=00000000-0000-4000-8000-000000000000"
                    + " | 404 | version-not-found",
            "9f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11.invocation.example.com | / | - | 503 | no-capacity",
            "a0000000-0000-4000-8000-000000000001.invocation.example.com | / | - | 502 | upstream-unreachable",
            "a0000000-0000-4000-8000-000000000002.invocation.example.com | / | - | 502 | upstream-unreachable",
            "a0000000-0000-4000-8000-000000000003.invocation.example.com | / | - | 502 | upstream-protocol-error",
            "a0000000-0000-4000-8000-000000000004.invocation.example.com | / | - | 502 | upstream-unreachable",
            "8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11.invocation.example.com | /slow?ms=4000 | - | 504 | upstream-timeout",
            "8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11.invocation.example.com | /slow?ms=3000 | NVCF-POLL-SECONDS=1"
                    + " | 504 | upstream-timeout",
            "8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11.invocation.example.com | / | NVCF-POLL-SECONDS=0 | 400"
                    + " | bad-request-header",
            "8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11.invocation.example.com | / | NVCF-POLL-SECONDS=3601 | 400"
                    + " | bad-request-header",
            "8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11.invocation.example.com | / | NVCF-POLL-SECONDS=abc | 400"
                    + " | bad-request-header",
            "8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11.invocation.example.com | / | NVCF-POLL-SECONDS=1.5 | 400"
                    + " | bad-request-header",
            "a0000000-0000-4000-8000-00000000dead.invocation.example.com | / | - | 500 | internal-error",
    })
    void platformErrorsAreProblemJsonWithTheRequestId(String host, String path, String extra, int status,
                                                      String label) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(30));
        if (host.startsWith("header:")) {
            b.header("function-id", host.substring("header:".length()));
        } else {
            b.header("Host", host);
        }
        if (!extra.equals("-")) {
            String[] kv = extra.split("=", 2);
            b.header(kv[0], kv[1]);
        }
        HttpResponse<String> res = gw.http1.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(res, status, label);
    }

    @Test
    void pollSecondsWithinRangeWaitsLongerThanTheDefault() throws Exception {
        HttpResponse<String> res = gw.http1.send(gw.request("/slow?ms=3000").header("NVCF-POLL-SECONDS", "5").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
    }

    @Test
    void declaredBodyOverTheLimitIs413BeforeTheContainerIsCalled() throws Exception {
        int before = function.requests.get();
        HttpResponse<String> res = gw.http1.send(gw.request("/sink")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024 + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(res, 413, "body-too-large");
        assertEquals(before, function.requests.get());
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndNeverArrivesComplete() throws Exception {
        int before = function.sinkCompleted.get();
        // ofInputStream has no length: the client sends it chunked
        HttpResponse<String> res = gw.http1.send(gw.request("/sink")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                    private long left = 3L * 1024 * 1024;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'x' : -1;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(buf, off, off + n, (byte) 'x');
                        left -= n;
                        return n;
                    }
                })).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(res, 413, "body-too-large");
        // the container may have started reading, but must never have seen the body end as if complete
        Thread.sleep(200);
        assertEquals(before, function.sinkCompleted.get());
    }

    @Test
    void bodyAtTheLimitPasses() throws Exception {
        HttpResponse<String> res = gw.http1.send(gw.request("/sink")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("\"bytes\":1048576"), res.body());
    }

    @Test
    void healthAnswersWithoutAFunction() throws Exception {
        HttpResponse<String> res = gw.http1.send(HttpRequest.newBuilder(gw.uri("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("UP"));
    }

    static void assertProblem(HttpResponse<String> res, int status, String label) throws IOException {
        assertEquals(status, res.statusCode(), res.body());
        assertEquals("application/problem+json", res.headers().firstValue("content-type").orElseThrow());
        assertEquals("errored", res.headers().firstValue("nvcf-status").orElseThrow());
        JsonObject problem = Json.createReader(new StringReader(res.body())).readObject();
        assertEquals("urn:fngate:problem-details:" + label, problem.getString("type"));
        assertEquals(status, problem.getInt("status"));
        assertFalse(problem.getString("title").isBlank());
        assertFalse(problem.getString("detail").isBlank());
        String reqId = res.headers().firstValue("nvcf-reqid").orElseThrow();
        assertEquals(reqId, problem.getString("requestId"));
        assertEquals("urn:uuid:" + reqId, problem.getString("instance"));
        for (String leak : List.of("Exception", "secret", "/etc", "at io.", "java.")) {
            assertFalse(res.body().contains(leak), "internals leaked: " + res.body());
        }
    }
}
