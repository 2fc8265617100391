package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many streams at once through one gateway process with a small heap, and configuration from the environment.
 */
class SseLoadTest {
    private static final List<SseFunction.Step> SCRIPT = List.of(
            new SseFunction.Step(0, "id: 0\ndata: {\"token\":\"a\"}\n\n"),
            new SseFunction.Step(200, "id: 1\ndata: {\"token\":\"b\"}\n\n"),
            new SseFunction.Step(200, "id: 2\ndata: {\"token\":\"c\"}\n\n"),
            new SseFunction.Step(200, "id: 3\ndata: {\"token\":\"d\"}\n\n"),
            new SseFunction.Step(200, "data: [DONE]\n\n"));

    @Test
    @Timeout(180)
    void thousandConcurrentStreamsThroughA256MbGatewayDeliverEveryEvent() throws Exception {
        int streams = 1000;
        try (SseFunction function = new SseFunction(SCRIPT);
             GatewayProcess gw = GatewayProcess.start(GatewayProcess.functionYaml(function.url(), ""),
                     List.of("-Xmx256m"))) {
            List<String> pieces = SCRIPT.stream().map(SseFunction.Step::bytes).toList();
            AtomicInteger complete = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    try {
                        StreamReader.Http1Stream s = StreamReader.open(gw.publicPort(), "GET /tokens HTTP/1.1\r\nHost: "
                                + TestGateway.invocationHost(TestGateway.FN) + "\r\nAccept: text/event-stream\r\n\r\n");
                        try (java.net.Socket socket = s.socket()) {
                            StreamReader.Arrivals got = StreamReader.await(s.body(), pieces);
                            if (got.text().equals(String.join("", pieces)) && s.body().read() == -1) {
                                complete.incrementAndGet();
                            } else {
                                failures.add(got.text());
                            }
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            assertEquals(streams, complete.get(), "failures (" + failures.size() + "), first: " + failures.peek()
                    + "\n" + gw.output);
            assertTrue(gw.alive());
        }
    }

    @Test
    @Timeout(60)
    void environmentVariablesOverrideTheConfigurationFile() throws Exception {
        try (FakeFunction function = FakeFunction.start();
             GatewayProcess gw = GatewayProcess.start(GatewayProcess.functionYaml(function.url(), ""), List.of(),
                     Map.of("INVOCATION_MAX_dash_BODY_dash_SIZE", "10"))) {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + gw.publicPort() + "/sink");
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(uri).header("function-id",
                    TestGateway.FN.toString()).POST(HttpRequest.BodyPublishers.ofString("0123456789")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            HttpResponse<String> tooLarge = client.send(HttpRequest.newBuilder(uri).header("function-id",
                    TestGateway.FN.toString()).POST(HttpRequest.BodyPublishers.ofString("0123456789A")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, tooLarge.statusCode());
        }
    }
}
