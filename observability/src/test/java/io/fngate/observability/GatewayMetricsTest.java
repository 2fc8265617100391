package io.fngate.observability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.PlatformError;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    private static final UUID FN = UUID.fromString("8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11");

    @Test
    void accessLogLineNamesTheErrorAndTheFunction() {
        String line = AccessLog.line(new InvocationRecord(UUID.randomUUID(), "POST", Optional.of(FN), Optional.empty(),
                503, Optional.of(PlatformError.NO_CAPACITY), InvocationRecord.Outcome.PLATFORM_ERROR,
                Duration.ofMillis(3), 0));
        assertTrue(line.contains("\"functionId\":\"" + FN + "\""), line);
        assertTrue(line.contains("\"error\":\"no-capacity\""), line);
        assertTrue(line.contains("\"status\":503"), line);
    }

    @Test
    void recordsAreCountedByFunctionCodeAndError() throws Exception {
        GatewayMetrics metrics = GatewayMetrics.create();
        InvocationRecord ok = new InvocationRecord(UUID.randomUUID(), "GET", Optional.of(FN), Optional.empty(), 200,
                Optional.empty(), InvocationRecord.Outcome.COMPLETED, Duration.ofMillis(2), 10);
        metrics.completed(ok);
        metrics.completed(ok);
        metrics.completed(new InvocationRecord(UUID.randomUUID(), "GET", Optional.empty(), Optional.empty(), 404,
                Optional.of(PlatformError.FUNCTION_NOT_FOUND), InvocationRecord.Outcome.PLATFORM_ERROR,
                Duration.ofMillis(1), 0));
        metrics.gauge("fngate_upstream_connections_open", "Open upstream connections.", () -> 7);
        String text = metrics.scrape();
        assertTrue(text.contains("fngate_requests_total{function=\"" + FN
                + "\",code=\"200\",error=\"none\",outcome=\"completed\",} 2.0"), text);
        assertTrue(text.contains("fngate_requests_total{function=\"none\",code=\"404\","
                + "error=\"function-not-found\",outcome=\"platform_error\",} 1.0"), text);
        assertTrue(text.contains("fngate_response_body_bytes_total{function=\"" + FN + "\",} 20.0"), text);
        assertTrue(text.contains("fngate_upstream_connections_open 7.0"), text);
    }
}
