package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

/**
 * With {@code observability.tracing.otlp.endpoint} set, each sampled invocation is sent to the collector as a span
 * under the ids the container was told of (so the container's own spans hang below it), with its phases; a trace
 * the client marked as not sampled is not sent. Without an endpoint, a trace the gateway starts is not sampled.
 */
class TracingExportTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String UNSAMPLED = "5bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void sampledInvocationsAreExportedUnderTheIdsTheContainerGot() throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        collector.createContext("/v1/traces", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            synchronized (received) {
                received.write(body);
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        collector.start();
        String sampledParent;
        String newTrace;
        try (FakeFunction fn = FakeFunction.start()) {
            TestGateway gw = TestGateway.start(fn.url(), Map.of("observability.tracing.otlp.endpoint",
                    "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces"));
            try {
                sampledParent = forwarded(gw, "00-" + TRACE + "-" + CLIENT_SPAN + "-01");
                assertTrue(sampledParent.matches("00-" + TRACE + "-[0-9a-f]{16}-01"), sampledParent);
                assertTrue(forwarded(gw, "00-" + UNSAMPLED + "-" + CLIENT_SPAN + "-00").endsWith("-00"));
                newTrace = forwarded(gw, null);
                assertTrue(newTrace.endsWith("-01"), "a trace the gateway starts and records is sampled: " + newTrace);
            } finally {
                gw.close(); // sends what is batched
            }
        } finally {
            collector.stop(0);
        }
        byte[] spans;
        synchronized (received) {
            spans = received.toByteArray();
        }
        assertTrue(contains(spans, hex(TRACE)), "the client's trace");
        assertTrue(contains(spans, hex(sampledParent.substring(36, 52))), "the gateway's span: the container's parent");
        assertTrue(contains(spans, hex(CLIENT_SPAN)), "the client's span as the parent");
        assertTrue(contains(spans, hex(newTrace.substring(3, 35))), "the trace the gateway started");
        assertTrue(contains(spans, hex(newTrace.substring(36, 52))));
        assertFalse(contains(spans, hex(UNSAMPLED)), "a trace the client did not sample is not sent");
        for (String phase : new String[] {"queue", "connect", "upstream", "relay", "fngate.request_id"}) {
            assertTrue(contains(spans, phase.getBytes(StandardCharsets.US_ASCII)), phase);
        }
    }

    @Test
    void withoutExportANewTraceIsNotSampled() throws Exception {
        try (FakeFunction fn = FakeFunction.start(); TestGateway gw = TestGateway.start(fn.url(), Map.of())) {
            assertTrue(forwarded(gw, null).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"));
        }
    }

    /** The traceparent the container received for a request with this one (or none). */
    private static String forwarded(TestGateway gw, String traceparent) throws Exception {
        HttpRequest.Builder b = gw.request("/echo");
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        HttpResponse<String> r = gw.http1.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return Json.createReader(new StringReader(r.body())).readObject().getJsonObject("headers")
                .getJsonArray("traceparent").getString(0);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
