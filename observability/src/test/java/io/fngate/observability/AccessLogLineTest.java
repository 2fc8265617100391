package io.fngate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.fngate.edge.EdgeAnswer;
import io.fngate.edge.ProblemDetails;
import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.PlatformError;
import io.fngate.registry.Instance;
import org.junit.jupiter.api.Test;

class AccessLogLineTest {
    static final UUID ID = UUID.fromString("8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID FN = UUID.fromString("1d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f");

    static InvocationRecord record(String path, String userAgent, Optional<PlatformError> error) {
        return new InvocationRecord(ID, new InvocationRecord.Trace("4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7", Optional.empty(), false), Instant.parse("2026-11-30T06:27:58.007Z"),
                "POST", path, Optional.of(FN), Optional.empty(), Optional.of(Instance.parse("http://10.0.0.5:8000")),
                200, error, InvocationRecord.Outcome.COMPLETED, Duration.ofNanos(12_345_678),
                Optional.of(Duration.ZERO), Optional.of(Duration.ofMillis(1)), Optional.of(Duration.ofMillis(3)), 17, 1024,
                "127.0.0.1", userAgent);
    }

    static String line(InvocationRecord r) {
        StringBuilder b = new StringBuilder();
        new AccessLogLine().append(b, r);
        return b.toString();
    }

    @Test
    void everyFieldInItsPlace() {
        assertEquals("{\"time\":\"2026-11-30T06:27:58.007Z\",\"requestId\":\"" + ID + "\","
                + "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"function\":\"" + FN + "\",\"version\":null,"
                + "\"instance\":\"http://10.0.0.5:8000\",\"method\":\"POST\",\"path\":\"/v1/chat\",\"status\":200,"
                + "\"error\":\"queue-full\",\"outcome\":\"completed\",\"bytesIn\":17,\"bytesOut\":1024,"
                + "\"firstByteMs\":3.000,\"durationMs\":12.345,\"queueMs\":0.000,\"client\":\"127.0.0.1\","
                + "\"userAgent\":\"curl/8\"}\n",
                line(record("/v1/chat", "curl/8", Optional.of(PlatformError.QUEUE_FULL))));
    }

    @Test
    void anEdgeAnswerHasTheSameFieldsWithWhatTheEdgeKnew() {
        ProblemDetails problem = new ProblemDetails(400, "malformed-header", "Malformed header field", "x", ID);
        EdgeAnswer known = new EdgeAnswer(Instant.parse("2026-11-30T06:27:58.007Z"), problem, Optional.of("GET"),
                Optional.of("/v1/\"x"), Optional.of("10.1.2.3"), Optional.of("curl/8"),
                Optional.of(Duration.ofNanos(1_500_000)));
        StringBuilder b = new StringBuilder();
        new AccessLogLine().append(b, known);
        assertEquals("{\"time\":\"2026-11-30T06:27:58.007Z\",\"requestId\":\"" + ID + "\",\"traceId\":null,"
                + "\"function\":null,\"version\":null,\"instance\":null,\"method\":\"GET\",\"path\":\"/v1/\\\"x\","
                + "\"status\":400,\"error\":\"malformed-header\",\"outcome\":\"platform_error\",\"bytesIn\":0,"
                + "\"bytesOut\":0,\"firstByteMs\":null,\"durationMs\":1.500,\"queueMs\":null,\"client\":\"10.1.2.3\","
                + "\"userAgent\":\"curl/8\"}\n", b.toString());
        EdgeAnswer unknown = new EdgeAnswer(Instant.parse("2026-11-30T06:27:58.007Z"), problem, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        b.setLength(0);
        new AccessLogLine().append(b, unknown);
        assertEquals(true, b.toString().contains("\"method\":null,\"path\":null,"), b.toString());
        assertEquals(true, b.toString().contains("\"durationMs\":null,\"queueMs\":null,\"client\":null,"
                + "\"userAgent\":null}"), b.toString());
    }

    @Test
    void whatTheClientChoseIsEscaped() {
        String line = line(record("/a\"b\\c", "x\ny\u0001z\u007f\ud800é\ud83d\ude00", Optional.empty()));
        assertEquals(true, line.contains("\"path\":\"/a\\\"b\\\\c\""), line);
        assertEquals(true, line.contains("\"userAgent\":\"x\\ny\\u0001z\\u007f\\ud800é\ud83d\ude00\""), line);
        assertEquals(1, line.split("\n", -1).length - 1, "one line");
    }
}
