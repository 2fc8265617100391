package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fngate.registry.FunctionType;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.registry.VersionStatus;
import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A known mix of traffic through a real gateway (real sockets, fake functions on port 0), then every counter and
 * histogram count must equal exactly what was sent; the access log must have one parseable line per request
 * carrying the ids the client and the container saw.
 * <p>
 * The mix: {@link #N} echo successes with a body of {@link #BODY} bytes, {@link #M} container 500s, {@link #K}
 * unknown-function 404s, {@link #R} requests to an instance that refuses connections, one event stream of
 * {@link #EVENTS} events with known gaps, an LLM event stream and an LLM JSON answer each with a {@code usage},
 * and on a function with one slot and one queue place: one served, one that times out in the queue (504), one
 * refused because the queue is full (429).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest {
    static final UUID ECHO = UUID.fromString("0b5e0000-0000-4000-8000-000000000001");
    static final UUID ECHO_V = UUID.fromString("0b5e0000-0000-4000-8000-0000000000a1");
    static final UUID SSE = UUID.fromString("0b5e0000-0000-4000-8000-000000000002");
    static final UUID SSE_V = UUID.fromString("0b5e0000-0000-4000-8000-0000000000a2");
    static final UUID LLM = UUID.fromString("0b5e0000-0000-4000-8000-000000000003");
    static final UUID LLM_V = UUID.fromString("0b5e0000-0000-4000-8000-0000000000a3");
    static final UUID DEAD = UUID.fromString("0b5e0000-0000-4000-8000-000000000004");
    static final UUID DEAD_V = UUID.fromString("0b5e0000-0000-4000-8000-0000000000a4");
    static final UUID QUEUE = UUID.fromString("0b5e0000-0000-4000-8000-000000000005");
    static final UUID QUEUE_V = UUID.fromString("0b5e0000-0000-4000-8000-0000000000a5");
    static final int N = 20;
    static final int M = 7;
    static final int K = 5;
    static final int R = 2;
    static final int BODY = 100;
    /**
     * Pauses before each event of the stream: gaps of 100 ms twice, then 600 ms twice. Far from the buckets
     * checked (25 ms, 250 ms, 1 s): a loaded machine may delay one event and shorten the next gap by as much.
     */
    static final long[] PAUSES = {0, 100, 100, 600, 600};
    static final int EVENTS = PAUSES.length;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Path dir;
    private Path accessLog;
    private FakeFunction echo;
    private SseFunction sse;
    private LlmFunction llm;
    private Gateway gateway;
    /** nvcf-reqid of every response, in the order sent. */
    private final List<String> requestIds = new ArrayList<>();
    private long echoBytesOut;
    private String tracedRequestId;
    private String tracedForwarded;
    private String problemRequestId;
    private String problemTraceId;
    /** The request id of a malformed request the edge answered before any handler. */
    private String edgeRequestId;
    private Scrape after;

    @BeforeAll
    void sendTheMix() throws Exception {
        dir = Files.createTempDirectory("fngate-obs");
        accessLog = dir.resolve("access.log");
        echo = FakeFunction.start();
        List<SseFunction.Step> steps = new ArrayList<>();
        for (int i = 0; i < PAUSES.length; i++) {
            steps.add(new SseFunction.Step(PAUSES[i], "id: " + i + "\ndata: {\"n\":" + i + "}\n\n"));
        }
        sse = new SseFunction(steps);
        llm = LlmFunction.start();
        int deadPort;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            deadPort = s.getLocalPort(); // closed again: connections are refused
        }
        Registry registry = Registry.of(List.of(
                function(ECHO, ECHO_V, echo.url(), FunctionType.DEFAULT, 16, OptionalInt.empty()),
                function(SSE, SSE_V, sse.url(), FunctionType.STREAMING, 16, OptionalInt.empty()),
                function(LLM, LLM_V, llm.url(), FunctionType.LLM, 16, OptionalInt.empty()),
                function(DEAD, DEAD_V, "http://127.0.0.1:" + deadPort, FunctionType.DEFAULT, 16,
                        OptionalInt.empty()),
                function(QUEUE, QUEUE_V, echo.url(), FunctionType.DEFAULT, 1, OptionalInt.of(1))));
        Map<String, String> settings = new HashMap<>();
        settings.put("server.host", "127.0.0.1");
        settings.put("server.port", "0");
        settings.put("admin.port", "0");
        settings.put("observability.access-log.target", "file:" + accessLog);
        gateway = Gateway.start(Config.just(ConfigSources.create(settings)), registry);

        String body = "x".repeat(BODY);
        for (int i = 0; i < N; i++) {
            HttpResponse<String> r = send(request(ECHO, "/echo").POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(200, r.statusCode());
            echoBytesOut += r.body().getBytes(StandardCharsets.UTF_8).length;
        }
        // the client's trace is continued: same trace id, the gateway's span as the parent
        HttpResponse<String> traced = send(request(ECHO, "/echo")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .header("tracestate", "vendor=1"));
        echoBytesOut += traced.body().getBytes(StandardCharsets.UTF_8).length;
        JsonObject seen = Json.createReader(new StringReader(traced.body())).readObject().getJsonObject("headers");
        tracedRequestId = traced.headers().firstValue("nvcf-reqid").orElseThrow();
        tracedForwarded = seen.getJsonArray("traceparent").getString(0);
        assertEquals("vendor=1", seen.getJsonArray("tracestate").getString(0));
        for (int i = 0; i < M; i++) {
            HttpResponse<String> r = send(request(ECHO, "/status/500"));
            assertEquals(500, r.statusCode());
            echoBytesOut += r.body().getBytes(StandardCharsets.UTF_8).length;
        }
        for (int i = 0; i < K; i++) {
            HttpResponse<String> r = send(request(UUID.randomUUID(), "/anything"));
            assertEquals(404, r.statusCode());
            JsonObject problem = Json.createReader(new StringReader(r.body())).readObject();
            problemRequestId = problem.getString("requestId");
            problemTraceId = problem.getString("traceId");
        }
        for (int i = 0; i < R; i++) {
            assertEquals(502, send(request(DEAD, "/")).statusCode());
        }
        HttpResponse<String> stream = send(request(SSE, "/events"));
        assertEquals(sse.scriptBytes(), stream.body());
        HttpResponse<String> llmStream = send(request(LLM, "/stream"));
        assertTrue(llmStream.body().endsWith("data: [DONE]\n\n"), llmStream.body());
        assertEquals(200, send(request(LLM, "/json")).statusCode());

        // one slot, one queue place: the first holds the slot, the second waits until its 1 s deadline (504),
        // the third finds the queue full (429)
        CompletableFuture<HttpResponse<String>> holder = http.sendAsync(request(QUEUE, "/slow?ms=2500").build(),
                HttpResponse.BodyHandlers.ofString());
        awaitInFlight(QUEUE, 1);
        CompletableFuture<HttpResponse<String>> waiter = http.sendAsync(request(QUEUE, "/echo")
                .header("NVCF-POLL-SECONDS", "1").build(), HttpResponse.BodyHandlers.ofString());
        awaitQueued(QUEUE, 1);
        HttpResponse<String> refused = send(request(QUEUE, "/echo"));
        assertEquals(429, refused.statusCode());
        assertEquals(504, waiter.get().statusCode());
        HttpResponse<String> held = holder.get();
        assertEquals(200, held.statusCode());
        requestIds.add(waiter.get().headers().firstValue("nvcf-reqid").orElseThrow());
        requestIds.add(held.headers().firstValue("nvcf-reqid").orElseThrow());
        edgeRequestId = malformedRequest();
        requestIds.add(edgeRequestId);
        after = Scrape.of(http, gateway.adminPort());
    }

    /** A header line without a colon: the edge answers 400 itself. Returns the answer's nvcf-reqid. */
    private String malformedRequest() throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.publicPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /broken?q=1 HTTP/1.1\r\nHost: h\r\nfunction-id: " + ECHO
                    + "\r\nNo colon here\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("(?im)^nvcf-reqid: *([0-9a-f-]{36})")
                    .matcher(answer);
            assertTrue(id.find(), answer);
            return id.group(1);
        }
    }

    private static InferenceFunction function(UUID id, UUID version, String url, FunctionType type, int limit,
                                              OptionalInt queue) {
        return new InferenceFunction(id, "fn-" + id.toString().substring(33), List.of(new FunctionVersion(version,
                List.of(Instance.parse(url)), VersionStatus.ACTIVE, "/", type, limit)), queue);
    }

    private HttpRequest.Builder request(UUID function, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.publicPort() + path))
                .header("function-id", function.toString()).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        requestIds.add(r.headers().firstValue("nvcf-reqid").orElseThrow());
        return r;
    }

    private void awaitInFlight(UUID fn, int n) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Scrape.of(http, gateway.adminPort()).sum("fngate_requests_in_flight", "function", fn.toString()) < n) {
            assertTrue(System.nanoTime() < end, "no request in flight");
            Thread.sleep(10);
        }
    }

    private void awaitQueued(UUID fn, int n) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Scrape.of(http, gateway.adminPort()).sum("fngate_queue_depth", "function", fn.toString()) < n) {
            assertTrue(System.nanoTime() < end, "no request queued");
            Thread.sleep(10);
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
        sse.close();
        llm.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p); // the access log (and the directory), after the gateway closed it
            }
        }
    }

    private double count(String name, UUID function, UUID version, String... more) {
        String[] labels = new String[4 + more.length];
        labels[0] = "function";
        labels[1] = function.toString();
        labels[2] = "version";
        labels[3] = version.toString();
        System.arraycopy(more, 0, labels, 4, more.length);
        return after.sum(name, labels);
    }

    @Test
    void requestsAreCountedByStatusClassErrorAndOutcome() {
        assertEquals(N + 1, count("fngate_requests_total", ECHO, ECHO_V, "code_class", "2xx", "error", "none",
                "outcome", "completed"));
        assertEquals(M, count("fngate_requests_total", ECHO, ECHO_V, "code_class", "5xx"));
        assertEquals(K, after.sum("fngate_requests_total", "function", "none", "version", "none",
                "code_class", "4xx", "error", "function-not-found", "outcome", "platform_error"));
        assertEquals(R, after.sum("fngate_requests_total", "function", DEAD.toString(), "code_class", "5xx",
                "error", "upstream-unreachable"));
        assertEquals(1, count("fngate_requests_total", SSE, SSE_V, "code_class", "2xx", "outcome", "completed"));
        assertEquals(2, count("fngate_requests_total", LLM, LLM_V, "code_class", "2xx", "outcome", "completed"));
        assertEquals(1, count("fngate_requests_total", QUEUE, QUEUE_V, "code_class", "2xx"));
        assertEquals(1, after.sum("fngate_requests_total", "function", QUEUE.toString(), "version", "none",
                "error", "queue-full", "code_class", "4xx"));
        assertEquals(1, after.sum("fngate_requests_total", "function", QUEUE.toString(), "version", "none",
                "error", "queue-timeout", "code_class", "5xx"));
        assertEquals(1, after.sum("fngate_requests_total", "function", "none", "version", "none",
                "code_class", "4xx", "error", "malformed-header", "outcome", "platform_error"), "the edge's answer");
        assertEquals(requestIds.size(), after.sum("fngate_requests_total"));
    }

    @Test
    void durationsAndBytesCountEveryRequest() {
        assertEquals(N + 1 + M, count("fngate_request_duration_seconds_count", ECHO, ECHO_V));
        assertEquals(N + 1 + M, count("fngate_time_to_first_byte_seconds_count", ECHO, ECHO_V));
        assertEquals(requestIds.size(), after.sum("fngate_request_duration_seconds_count"));
        // a first byte came from a container for: echo, the stream, both LLM answers, the one served queued call
        assertEquals(N + 1 + M + 1 + 2 + 1, after.sum("fngate_time_to_first_byte_seconds_count"));
        assertEquals(N * BODY, count("fngate_request_body_bytes_total", ECHO, ECHO_V));
        assertEquals(echoBytesOut, count("fngate_response_body_bytes_total", ECHO, ECHO_V));
        // the 1 ms .. 1 h buckets: every observation is in +Inf, none of these requests took an hour
        assertEquals(N + 1 + M, count("fngate_request_duration_seconds_bucket", ECHO, ECHO_V, "le", "+Inf"));
        assertEquals(N + 1 + M, count("fngate_request_duration_seconds_bucket", ECHO, ECHO_V, "le", "3600.0"));
    }

    @Test
    void queueWaitRejectionsAndDeadlinesAreCounted() {
        // admitted at once: zero wait; the queued one that timed out: about its 1 s deadline
        assertEquals(N + 1 + M, after.sum("fngate_queue_wait_seconds_count", "function", ECHO.toString()));
        assertEquals(2, after.sum("fngate_queue_wait_seconds_count", "function", QUEUE.toString()));
        assertEquals(1, after.sum("fngate_queue_wait_seconds_bucket", "function", QUEUE.toString(), "le", "0.5"));
        double waited = after.sum("fngate_queue_wait_seconds_sum", "function", QUEUE.toString());
        assertTrue(waited >= 0.9 && waited < 2.5, "queue wait " + waited);
        assertEquals(1, after.sum("fngate_queue_rejections_total", "function", QUEUE.toString()));
        assertEquals(1, after.sum("fngate_queue_timeouts_total", "function", QUEUE.toString()));
        assertEquals(1, after.sum("fngate_queue_rejections_total"));
        assertEquals(1, after.sum("fngate_queue_timeouts_total"));
        assertEquals(0, after.sum("fngate_queue_depth"));
        assertEquals(0, after.sum("fngate_requests_in_flight"));
    }

    @Test
    void upstreamFailuresAreCountedByKind() {
        assertEquals(R, count("fngate_upstream_errors_total", DEAD, DEAD_V, "kind", "refused"));
        assertEquals(R, after.sum("fngate_upstream_errors_total"));
        assertEquals(0, after.sum("fngate_upstream_retries_total"));
        assertEquals(1, count("fngate_instance_up", ECHO, ECHO_V));
        assertEquals(5, after.sum("fngate_instance_up"));
        assertTrue(after.has("fngate_upstream_connections_open"));
        assertTrue(after.has("fngate_upstream_connections_idle"));
    }

    @Test
    void eventStreamsAreTimedEventByEvent() {
        assertEquals(1, count("fngate_streams_total", SSE, SSE_V, "reason", "completed"));
        assertEquals(0, count("fngate_streams_active", SSE, SSE_V));
        assertEquals(EVENTS, count("fngate_stream_events_total", SSE, SSE_V));
        assertEquals(1, count("fngate_stream_time_to_first_event_seconds_count", SSE, SSE_V));
        assertEquals(1, count("fngate_stream_duration_seconds_count", SSE, SSE_V));
        assertEquals(EVENTS - 1, count("fngate_stream_event_gap_seconds_count", SSE, SSE_V));
        // gaps of 100 ms (x2) and 600 ms (x2): none under 25 ms, two under 250 ms, all four under 1 s
        assertEquals(0, count("fngate_stream_event_gap_seconds_bucket", SSE, SSE_V, "le", "0.025"));
        assertEquals(2, count("fngate_stream_event_gap_seconds_bucket", SSE, SSE_V, "le", "0.25"));
        assertEquals(4, count("fngate_stream_event_gap_seconds_bucket", SSE, SSE_V, "le", "1.0"));
        double gaps = count("fngate_stream_event_gap_seconds_sum", SSE, SSE_V);
        assertTrue(gaps >= 1.0 && gaps < 2.5, "sum of gaps " + gaps + " (nominally 1.4 s)");
        double duration = count("fngate_stream_duration_seconds_sum", SSE, SSE_V);
        assertTrue(duration >= 1.2, "stream duration " + duration);
    }

    @Test
    void llmTokensComeFromTheUsageOfStreamsAndJsonBodies() {
        assertEquals(LlmFunction.STREAM_PROMPT + LlmFunction.JSON_PROMPT,
                count("fngate_llm_tokens_total", LLM, LLM_V, "type", "prompt"));
        assertEquals(LlmFunction.STREAM_TOKENS + LlmFunction.JSON_COMPLETION,
                count("fngate_llm_tokens_total", LLM, LLM_V, "type", "completion"));
        assertEquals(1, count("fngate_llm_time_per_output_token_seconds_count", LLM, LLM_V));
        // the token events are GAP_MS apart; the usage and [DONE] events follow at once: the time from the first
        // to the last event, over the tokens after the first, is about GAP_MS
        double perToken = count("fngate_llm_time_per_output_token_seconds_sum", LLM, LLM_V);
        assertTrue(perToken >= LlmFunction.GAP_MS / 1000.0 * 0.9 && perToken < 0.5, "time per token " + perToken);
        assertEquals(LlmFunction.STREAM_EVENTS, count("fngate_stream_events_total", LLM, LLM_V));
        // the other functions are not LLMs: no token series for them
        assertFalse(after.has("fngate_llm_tokens_total", "function", ECHO.toString()));
        assertFalse(after.has("fngate_llm_tokens_total", "function", SSE.toString()));
    }

    @Test
    void jvmProcessAndBuildMetricsAreServed() {
        assertTrue(after.has("process_cpu_seconds_total"), "process metrics");
        assertTrue(after.has("jvm_memory_bytes_used"), "jvm metrics");
        assertTrue(after.has("fngate_build_info"), "build info");
        assertEquals(5, after.sum("fngate_functions"));
    }

    @Test
    void theContainerGetsAChildSpanOfTheClientsTrace() {
        assertTrue(tracedForwarded.matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01"), tracedForwarded);
        assertNotEquals("00f067aa0ba902b7", tracedForwarded.substring(36, 52), "a new parent id");
        assertTrue(problemTraceId.matches("[0-9a-f]{32}"), problemTraceId);
    }

    @Test
    void everyRequestHasOneAccessLogLineWithTheIdsTheClientAndContainerSaw() throws Exception {
        List<String> lines = awaitLines(requestIds.size());
        Map<String, JsonObject> byId = new HashMap<>();
        for (String line : lines) {
            JsonObject o = Json.createReader(new StringReader(line)).readObject(); // each line is one JSON object
            assertEquals(null, byId.put(o.getString("requestId"), o), "one line per request");
        }
        assertEquals(new java.util.HashSet<>(requestIds), byId.keySet());
        JsonObject traced = byId.get(tracedRequestId);
        assertEquals(tracedForwarded.substring(3, 35), traced.getString("traceId"), "the trace id the container got");
        assertEquals(ECHO.toString(), traced.getString("function"));
        assertEquals(ECHO_V.toString(), traced.getString("version"));
        assertEquals(echo.url(), traced.getString("instance"));
        assertEquals("GET", traced.getString("method"));
        assertEquals("/echo", traced.getString("path"));
        assertEquals(200, traced.getInt("status"));
        assertEquals("completed", traced.getString("outcome"));
        assertTrue(traced.isNull("error"));
        assertEquals("127.0.0.1", traced.getString("client"));
        assertTrue(traced.getString("userAgent").startsWith("Java-http-client"), traced.getString("userAgent"));
        assertTrue(traced.getJsonNumber("durationMs").doubleValue() > 0);
        assertTrue(traced.getJsonNumber("firstByteMs").doubleValue() > 0);
        assertEquals(0.0, traced.getJsonNumber("queueMs").doubleValue());
        JsonObject problem = byId.get(problemRequestId);
        assertEquals(problemTraceId, problem.getString("traceId"), "the trace id of the problem+json");
        assertEquals("function-not-found", problem.getString("error"));
        assertTrue(problem.isNull("function"));
        // a request the edge answered before any handler: its line too, with what the edge knew
        JsonObject edge = byId.get(edgeRequestId);
        assertEquals(400, edge.getInt("status"));
        assertEquals("malformed-header", edge.getString("error"));
        assertEquals("platform_error", edge.getString("outcome"));
        assertEquals("GET", edge.getString("method"));
        assertEquals("/broken", edge.getString("path"));
        assertEquals("127.0.0.1", edge.getString("client"));
        assertTrue(edge.isNull("traceId") && edge.isNull("function"), edge.toString());
        long posted = byId.values().stream().filter(o -> o.getInt("bytesIn") == BODY).count();
        assertEquals(N, posted);
        // the LLM SSE line: the stream's path, its bytes
        // and the 504 of the queue: its queue wait
        JsonObject timedOut = byId.values().stream().filter(o -> !o.isNull("error")
                && o.getString("error").equals("queue-timeout")).findFirst().orElseThrow();
        assertTrue(timedOut.getJsonNumber("queueMs").doubleValue() >= 900, timedOut.toString());
    }

    private List<String> awaitLines(int n) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> lines = Files.exists(accessLog) ? Files.readAllLines(accessLog) : List.of();
            if (lines.size() >= n || System.nanoTime() > end) {
                assertEquals(n, lines.size(), "access-log lines");
                return lines;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void promtoolAcceptsTheTextFormatAndOpenMetrics() throws Exception {
        Promtool.checkMetrics(after.text);
        Scrape om = Scrape.of(http, gateway.adminPort(), "application/openmetrics-text; version=1.0.0");
        assertTrue(om.text.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        Promtool.checkOpenMetrics(om.text);
    }

    @Test
    void everyDashboardQueryAndAlertNamesAMetricTheGatewayServes() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String dashboard = Files.readString(root.resolve("deploy/grafana/fngate-dashboard.json"));
        JsonObject board = Json.createReader(new StringReader(dashboard)).readObject(); // parses
        List<String> exprs = new ArrayList<>();
        board.getJsonArray("panels").forEach(p -> p.asJsonObject().getJsonArray("targets")
                .forEach(t -> exprs.add(t.asJsonObject().getString("expr"))));
        assertTrue(exprs.size() >= 10, "panels with queries: " + exprs.size());
        String rules = Files.readString(root.resolve("deploy/prometheus/alerts.yml"));
        Matcher alert = Pattern.compile("expr: \\|?\\s*(.+)").matcher(rules);
        while (alert.find()) {
            exprs.add(alert.group(1));
        }
        Pattern metric = Pattern.compile("\\b((?:fngate|jvm|process)_[a-z_]+)\\b");
        int named = 0;
        for (String expr : exprs) {
            if (expr.startsWith("up{")) {
                continue; // Prometheus' own: is the target scraped at all
            }
            Matcher m = metric.matcher(expr);
            assertTrue(m.find(), "names no metric: " + expr);
            do {
                named++;
                assertTrue(after.exposes(m.group(1)), "not served: " + m.group(1) + " in " + expr);
            } while (m.find());
        }
        assertTrue(named > exprs.size());
        Promtool.checkRules(root.resolve("deploy/prometheus/alerts.yml"));
        Promtool.checkConfig(root.resolve("deploy/prometheus/prometheus.yml"));
    }
}
