package io.fngate.e2e.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fngate.e2e.GatewayProcess;
import io.fngate.e2e.dispatch.CountingFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM drains the gateway (started as users start it, with {@code ./fngate run}): readiness turns false at
 * once, no new connection is taken, what is in flight finishes within the grace period, the rest is ended with
 * its own outcome, and the process exits 0. Every request gets exactly one access-log line.
 */
@Timeout(180)
class ShutdownTest {
    static final UUID FN = UUID.fromString("c0ffee00-0d7b-4c55-9a1e-3b9b6f0c2d11");
    private static final Pattern ACCESS = Pattern.compile("(?m)^(\\{\"time\":.*\\})$");
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static String yaml(String instanceUrl, String grace) {
        return """
                server: { host: 127.0.0.1, port: 0, shutdown-grace-period: %s }
                admin: { port: 0 }
                registry: { store: memory }
                functions:
                  - id: %s
                    name: drain
                    versions:
                      - id: c0ffee01-5f6b-4e2a-8c9d-7a6b5c4d3e2f
                        max-request-concurrency: 1000
                        instances: [ { url: "%s" } ]
                """.formatted(grace, FN, instanceUrl);
    }

    private CompletableFuture<HttpResponse<String>> call(GatewayProcess gw, String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.publicPort() + path))
                .header("function-id", FN.toString()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int readiness(GatewayProcess gw) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.adminPort()
                    + "/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    @Test
    void sigtermLetsRequestsAndStreamsInFlightFinishThenExitsZero() throws Exception {
        try (CountingFunction f = CountingFunction.start("f");
             GatewayProcess gw = GatewayProcess.script(yaml(f.url(), "20s"), 0, Map.of())) {
            assertEquals(200, readiness(gw));
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(call(gw, "/work?ms=2500"));
            }
            List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                streams.add(call(gw, "/stream?events=25&gap=100"));
            }
            await("all 120 at the container", () -> f.inFlight.get() == 120, Duration.ofSeconds(30));
            long t0 = System.nanoTime();
            gw.terminate();
            await("readiness false", () -> readiness(gw) == 503, Duration.ofSeconds(2));
            await("new connections refused", () -> refused(gw.publicPort()), Duration.ofSeconds(2));
            for (var c : calls) {
                HttpResponse<String> r = c.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals("f", r.body());
            }
            for (var s : streams) {
                HttpResponse<String> r = s.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("data: 24"), "a stream was cut: " + r.body());
            }
            assertEquals(0, gw.awaitExit(Duration.ofSeconds(30)), "exit code");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(took < 20_000, "drained in " + took + " ms");
            List<String> lines = accessLines(gw);
            assertEquals(120, lines.size(), "access-log lines: " + lines.size() + "; the rest of the output:\n" + rest(gw));
            assertEquals(120, lines.stream().filter(l -> l.contains("\"outcome\":\"completed\"")).count());
            assertTrue(gw.output.toString().contains("access log closed: 120 line(s) written, 0 dropped"), rest(gw));
        }
    }

    @Test
    void whatRunsPastTheGraceIsEndedWithItsOwnOutcome() throws Exception {
        try (CountingFunction f = CountingFunction.start("f");
             GatewayProcess gw = GatewayProcess.script(yaml(f.url(), "1s"), 0, Map.of())) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(call(gw, "/work?ms=20000"));
            }
            List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                streams.add(call(gw, "/stream?events=200&gap=100"));
            }
            await("all 12 at the container", () -> f.inFlight.get() == 12, Duration.ofSeconds(30));
            long t0 = System.nanoTime();
            gw.terminate();
            for (var c : calls) {
                HttpResponse<String> r = c.get(15, TimeUnit.SECONDS);
                assertEquals(503, r.statusCode());
                assertTrue(r.body().contains("shutting-down"), r.body());
            }
            for (var s : streams) {
                try {
                    HttpResponse<String> r = s.get(15, TimeUnit.SECONDS);
                    assertTrue(!r.body().contains("data: 199"), "a cut stream looked complete");
                } catch (java.util.concurrent.ExecutionException cut) {
                    // the stream was cut: as it should
                }
            }
            assertEquals(0, gw.awaitExit(Duration.ofSeconds(20)), "exit code");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(took < 10_000, "stopped after " + took + " ms");
            List<String> lines = accessLines(gw);
            assertEquals(12, lines.size(), "access-log lines: " + lines.size() + "; the rest of the output:\n" + rest(gw));
            assertEquals(12, lines.stream().filter(l -> l.contains("\"outcome\":\"shutdown\"")).count(), "" + lines);
            assertTrue(gw.output.toString().contains("access log closed: 12 line(s) written, 0 dropped"), rest(gw));
        }
    }

    private static List<String> accessLines(GatewayProcess gw) {
        List<String> lines = new ArrayList<>();
        Matcher m = ACCESS.matcher(gw.output);
        while (m.find()) {
            lines.add(m.group(1));
        }
        return lines;
    }

    /** The output other than access-log lines: where a line was lost or mangled, it shows. */
    private static String rest(GatewayProcess gw) {
        // each access-log line shortened to its path, status and outcome
        return ACCESS.matcher(gw.output).replaceAll(m -> Matcher.quoteReplacement(m.group(1).replaceAll(
                ".*\"path\":(\"[^\"]*\").*\"status\":(\\d+).*\"outcome\":(\"[^\"]*\").*", "access: $1 $2 $3")));
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    static void await(String what, BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within " + max);
            }
            Thread.sleep(20);
        }
    }
}
