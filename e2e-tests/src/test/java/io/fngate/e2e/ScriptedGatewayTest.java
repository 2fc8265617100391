package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway started exactly as users start it ({@code ./fngate run}: module path, the script's
 * {@code --add-opens}), so that a Helidon upgrade breaking the client watch's access to its internals fails here
 * and not only in production: departed clients must still be noticed at once, not on the next write.
 */
@Timeout(120)
class ScriptedGatewayTest {

    @Test
    void onTheModulePathDepartedClientsAreNoticedAtOnce() throws Exception {
        try (SseFunction function = new SseFunction(SseTest.SCRIPT);
             GatewayProcess gw = GatewayProcess.script(GatewayProcess.functionYaml(function.url(), ""), 0, Map.of())) {
            assertFalse(gw.output.toString().contains("not accessible"), gw.output.toString());
            // HTTP/1.1: the client closes its connection mid-stream
            StreamReader.Http1Stream s = StreamReader.open(gw.publicPort(), "GET /endless HTTP/1.1\r\nHost: "
                    + TestGateway.invocationHost(TestGateway.FN) + "\r\nAccept: text/event-stream\r\n\r\n");
            StreamReader.await(s.body(), List.of("data: token 2\n\n"));
            SseFunction.Served served = last(function);
            long closed = System.nanoTime();
            s.socket().close();
            awaitClose(served, closed, 250);
            // HTTP/2: the client resets one stream of a live connection
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            String base = "http://127.0.0.1:" + gw.publicPort();
            h2.send(HttpRequest.newBuilder(URI.create(base + "/warm")).header("function-id", TestGateway.FN.toString())
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()); // h2c upgrade
            InputStream stream = h2.send(HttpRequest.newBuilder(URI.create(base + "/endless"))
                    .header("function-id", TestGateway.FN.toString()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream()).body();
            SseFunction.Served streamServed = last(function);
            StreamReader.await(stream, List.of("data: token 2\n\n"));
            long reset = System.nanoTime();
            stream.close();
            awaitClose(streamServed, reset, 250);
            assertFalse(gw.output.toString().contains("not accessible"), gw.output.toString());
        }
    }

    private static SseFunction.Served last(SseFunction f) {
        SseFunction.Served last = null;
        for (SseFunction.Served s : f.served) {
            last = s;
        }
        return last;
    }

    private static void awaitClose(SseFunction.Served served, long since, long withinMs) throws InterruptedException {
        assertNotNull(served);
        long deadline = since + TimeUnit.MILLISECONDS.toNanos(withinMs + 3000);
        while (served.closedAt == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(served.closedAt == 0, "the container never saw the close");
        double ms = (served.closedAt - since) / 1e6;
        assertTrue(ms < withinMs, "the container saw the close after " + ms + " ms");
    }
}
