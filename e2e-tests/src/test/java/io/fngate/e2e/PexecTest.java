package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fngate.registry.FunctionType;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.registry.VersionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NVCF's pexec routes: a POST to {@code /v2/nvcf/pexec/functions/{id}} reaches the version's inferenceUrl; a
 * container slower than the poll time gets the client a 202 it polls with {@code /v2/nvcf/pexec/status/{id}}
 * until the result comes, once; results nobody polls for are cancelled.
 */
@Timeout(60)
class PexecTest {
    static final UUID FN = UUID.fromString("9e8ec000-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID V1 = UUID.fromString("9e8ec001-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final String KEY_A = "pexec-key-a-0123456789abcdef";
    static final String KEY_B = "pexec-key-b-0123456789abcdef";

    @TempDir
    Path results;

    PexecFunction function;
    TestGateway gw;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        function = PexecFunction.start();
        gw = gateway(Map.of());
    }

    private TestGateway gateway(Map<String, String> extra) {
        Registry registry = Registry.of(List.of(new InferenceFunction(FN, "pexec", List.of(new FunctionVersion(V1,
                List.of(Instance.parse(function.url())), VersionStatus.ACTIVE, "/infer", FunctionType.DEFAULT, 4)))));
        Map<String, String> c = new HashMap<>();
        c.put("invocation.async.results-dir", results.toString());
        c.put("invocation.async.unpolled-timeout", "2s");
        c.putAll(extra);
        return TestGateway.start(registry, c);
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        function.close();
    }

    private HttpRequest.Builder pexec(String path) {
        return HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(30));
    }

    private HttpRequest.Builder status(UUID requestId) {
        return HttpRequest.newBuilder(gw.uri("/v2/nvcf/pexec/status/" + requestId)).timeout(Duration.ofSeconds(30));
    }

    @Test
    void pexecSendsTheBodyToTheInferenceUrlAsJson() throws Exception {
        HttpResponse<String> r = client.send(pexec("/v2/nvcf/pexec/functions/" + FN + "?ignored=1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("fulfilled", r.headers().firstValue("nvcf-status").orElse(""));
        String reqId = r.headers().firstValue("nvcf-reqid").orElseThrow();
        assertEquals("POST /infer\ncontent-type=application/json\npoll=60\nmax=\nreqid=" + reqId
                + "\n{\"prompt\":\"hi\"}", r.body());
        assertEquals("pexec-function", r.headers().firstValue("x-answered-by").orElse(""));
        // the legacy exec form, a named version, and a client content type kept
        for (String path : List.of("/v2/nvcf/exec/functions/" + FN, "/v2/nvcf/pexec/functions/" + FN + "/versions/" + V1)) {
            HttpResponse<String> v = client.send(pexec(path).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, v.statusCode(), path + " " + v.body());
            assertTrue(v.body().startsWith("POST /infer\ncontent-type=text/plain\n"), v.body());
        }
    }

    @Test
    void pexecErrorsAreProblems() throws Exception {
        HttpResponse<String> unknownVersion = client.send(pexec("/v2/nvcf/pexec/functions/" + FN + "/versions/"
                + TestGateway.UNKNOWN).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknownVersion.statusCode());
        assertTrue(unknownVersion.body().contains("version-not-found"), unknownVersion.body());
        HttpResponse<String> get = client.send(pexec("/v2/nvcf/pexec/functions/" + FN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("allow").orElse(""));
        assertEquals("application/problem+json", get.headers().firstValue("content-type").orElse(""));
        HttpResponse<String> malformed = client.send(pexec("/v2/nvcf/pexec/functions/not-a-uuid")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("malformed-target"), malformed.body());
        assertEquals(0, function.requests.get());
    }

    @Test
    void pexecRelaysAnEventStreamAsItArrives() throws Exception {
        HttpResponse<InputStream> r = client.send(pexec("/v2/nvcf/pexec/functions/" + FN)
                .header("Accept", "text/event-stream").header("x-sse", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElse(""));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertEquals("data: event-1", in.readLine());
            assertEquals("", in.readLine());
            assertEquals("data: event-2", in.readLine());
            function.releaseLastEvent.countDown(); // the third is only sent once two arrived: no buffering
            assertEquals("", in.readLine());
            assertEquals("data: event-3", in.readLine());
        }
        // an SSE pexec call waits longer than the default poll time before it would turn into a 202
        assertEquals("1200", function.heads.peek().get("nvcf-poll-seconds"));
    }

    @Test
    void slowFunctionAnswers202ThenThePollDeliversTheResultOnce() throws Exception {
        HttpResponse<String> accepted = client.send(pexec("/v2/nvcf/pexec/functions/" + FN)
                .header("NVCF-POLL-SECONDS", "1").header("x-delay-ms", "2500").header("x-progress", "40")
                .POST(HttpRequest.BodyPublishers.ofString("{\"slow\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals("in-progress", accepted.headers().firstValue("nvcf-status").orElse(""));
        assertEquals("40", accepted.headers().firstValue("nvcf-percent-complete").orElse(""));
        UUID id = UUID.fromString(accepted.headers().firstValue("nvcf-reqid").orElseThrow());
        assertEquals("1", function.heads.peek().get("nvcf-poll-seconds"));

        // every poll on a new connection: the result is not tied to the client's connection
        HttpResponse<String> still = HttpClient.newHttpClient().send(status(id).header("NVCF-POLL-SECONDS", "1")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, still.statusCode());
        assertEquals(id.toString(), still.headers().firstValue("nvcf-reqid").orElse(""));
        assertEquals("40", still.headers().firstValue("nvcf-percent-complete").orElse(""));

        HttpResponse<String> done = HttpClient.newHttpClient().send(status(id).header("NVCF-POLL-SECONDS", "10")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(id.toString(), done.headers().firstValue("nvcf-reqid").orElse(""));
        assertEquals("fulfilled", done.headers().firstValue("nvcf-status").orElse(""));
        assertEquals("pexec-function", done.headers().firstValue("x-answered-by").orElse(""));
        assertTrue(done.body().endsWith("reqid=" + id + "\n{\"slow\":true}"), done.body());

        HttpResponse<String> again = client.send(status(id).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, again.statusCode());
        assertTrue(again.body().contains("request-not-found"), again.body());
        assertEquals(1, function.requests.get());
        assertEquals(0, metric("fngate_async_results_pending"));
    }

    @Test
    void unknownOrMalformedRequestIdsAreProblems() throws Exception {
        HttpResponse<String> unknown = client.send(status(UUID.randomUUID()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertEquals("application/problem+json", unknown.headers().firstValue("content-type").orElse(""));
        HttpResponse<String> malformed = client.send(HttpRequest.newBuilder(gw.uri("/v2/nvcf/pexec/status/12"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, malformed.statusCode());
        HttpResponse<String> post = client.send(status(UUID.randomUUID()).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("allow").orElse(""));
    }

    @Test
    void aResultNobodyPollsIsCancelledAndItsMemoryFreed() throws Exception {
        HttpResponse<String> accepted = client.send(pexec("/v2/nvcf/pexec/functions/" + FN)
                .header("NVCF-POLL-SECONDS", "1").header("x-delay-ms", "1500").header("x-trickle-ms", "15000")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode());
        UUID id = UUID.fromString(accepted.headers().firstValue("nvcf-reqid").orElseThrow());
        assertEquals(1, metric("fngate_async_results_pending"));
        // unpolled-timeout 2 s: the container, still trickling its answer, sees the request go away
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (function.cancelled.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertEquals(1, function.cancelled.get(), "the container's request was cancelled");
        assertEquals(0, function.trickleCompleted.get());
        assertEquals(0, metric("fngate_async_results_pending"));
        assertEquals(0, metric("fngate_async_result_memory_bytes"));
        HttpResponse<String> late = client.send(status(id).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, late.statusCode());
    }

    @Test
    void aLargeResultIsSpilledToAFileAndReadBackIntact() throws Exception {
        int size = 3 * 1024 * 1024 + 17;
        HttpResponse<String> accepted = client.send(pexec("/v2/nvcf/pexec/functions/" + FN)
                .header("NVCF-POLL-SECONDS", "1").header("x-delay-ms", "1200").header("x-size", Integer.toString(size))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode());
        UUID id = UUID.fromString(accepted.headers().firstValue("nvcf-reqid").orElseThrow());
        Path file = results.resolve(id + ".result");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(file) && Files.size(file) == size) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(size, Files.size(file), "the result waits in a file");
        assertTrue(metric("fngate_async_result_memory_bytes") < 1024 * 1024, "not in memory");

        HttpResponse<InputStream> r = client.send(status(id).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("big", r.headers().firstValue("x-result").orElse(""));
        assertEquals(Long.toString(size), r.headers().firstValue("content-length").orElse(""));
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        MessageDigest want = MessageDigest.getInstance("SHA-256");
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.update(buf, 0, n);
            }
        }
        for (long i = 0; i < size; i++) {
            want.update(PexecFunction.pattern(i));
        }
        assertArrayEquals(want.digest(), got.digest());
        assertFalse(Files.exists(file), "the file is removed once delivered");
        try (Stream<Path> left = Files.list(results)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void onlyTheKeyThatInvokedMayPoll() throws Exception {
        gw.close();
        gw = gateway(Map.of("auth.keys.0", KEY_A + " scopes=invoke_function",
                "auth.keys.1", KEY_B + " scopes=invoke_function"));
        HttpResponse<String> accepted = client.send(pexec("/v2/nvcf/pexec/functions/" + FN)
                .header("Authorization", "Bearer " + KEY_A).header("NVCF-POLL-SECONDS", "1")
                .header("x-delay-ms", "1500").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        UUID id = UUID.fromString(accepted.headers().firstValue("nvcf-reqid").orElseThrow());
        HttpResponse<String> anonymous = client.send(status(id).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> other = client.send(status(id).header("Authorization", "Bearer " + KEY_B)
                .header("NVCF-POLL-SECONDS", "5").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, other.statusCode(), "another key cannot tell the request exists");
        HttpResponse<String> owner = client.send(status(id).header("Authorization", "Bearer " + KEY_A)
                .header("NVCF-POLL-SECONDS", "5").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, owner.statusCode(), owner.body());
        // a CORS preflight needs no key; path routes answer it themselves
        HttpResponse<String> preflight = client.send(pexec("/v2/nvcf/pexec/functions/" + FN)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, preflight.statusCode());
        assertEquals("https://app.example", preflight.headers().firstValue("access-control-allow-origin").orElse(""));
        assertEquals("POST", preflight.headers().firstValue("access-control-allow-methods").orElse(""));
        assertEquals("authorization, content-type",
                preflight.headers().firstValue("access-control-allow-headers").orElse(""));
        assertEquals(1, function.requests.get());
    }

    @Test
    void hostRouteAnswers504UnlessTheClientPrefersAsync() throws Exception {
        HttpRequest.Builder slow = HttpRequest.newBuilder(gw.uri("/any/path?q=1")).header("function-id", FN.toString())
                .header("NVCF-POLL-SECONDS", "1").header("x-delay-ms", "1500").timeout(Duration.ofSeconds(30));
        HttpResponse<String> timeout = client.send(slow.copy().GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(504, timeout.statusCode());
        assertTrue(timeout.body().contains("upstream-timeout"), timeout.body());
        HttpResponse<String> accepted = client.send(slow.copy().header("Prefer", "respond-async").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode());
        UUID id = UUID.fromString(accepted.headers().firstValue("nvcf-reqid").orElseThrow());
        HttpResponse<String> done = client.send(status(id).header("NVCF-POLL-SECONDS", "10").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, done.statusCode());
        assertTrue(done.body().startsWith("GET /any/path?q=1\n"), done.body());
    }

    @Test
    void workerHeadersComeFromTheGatewayNotTheClient() throws Exception {
        gw.close();
        gw = gateway(Map.of("invocation.max-response-size", "5MiB"));
        HttpResponse<String> r = client.send(pexec("/v2/nvcf/pexec/functions/" + FN)
                .header("NVCF-POLL-SECONDS", "7").header("NVCF-MAX-RESPONSE-SIZE-BYTES", "1")
                .header("NVCF-REQID", "forged").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\npoll=7\nmax=5242880\nreqid=" + r.headers().firstValue("nvcf-reqid").get()),
                r.body());
    }

    private double metric(String name) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gw.gateway.adminPort() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(r.body());
        assertTrue(m.find(), name + " in /metrics");
        return Double.parseDouble(m.group(1));
    }
}
