package io.fngate.observability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.UpstreamFailure;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.routing.DispatchSettings;
import io.fngate.routing.Dispatcher;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    static final UUID KEPT = UUID.fromString("8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID GONE = UUID.fromString("9f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID V1 = UUID.fromString("1d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f");
    static final UUID V2 = UUID.fromString("2d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f");

    /** A registry whose functions the test changes. */
    static final class Changing implements Registry {
        final List<InferenceFunction> all = new CopyOnWriteArrayList<>();

        @Override
        public Optional<InferenceFunction> function(UUID id) {
            return all.stream().filter(f -> f.id().equals(id)).findFirst();
        }

        @Override
        public Collection<InferenceFunction> functions() {
            return List.copyOf(all);
        }
    }

    static InferenceFunction fn(UUID id, UUID... versions) {
        return new InferenceFunction(id, "f", java.util.Arrays.stream(versions)
                .map(v -> new FunctionVersion(v, List.of(Instance.parse("http://127.0.0.1:9")))).toList());
    }

    static InvocationRecord served(UUID function, UUID version) {
        return new InvocationRecord(UUID.randomUUID(), new InvocationRecord.Trace("4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7", Optional.empty(), false), Instant.now(), "GET", "/",
                Optional.of(function), Optional.of(version), Optional.empty(), 200, Optional.empty(),
                InvocationRecord.Outcome.COMPLETED, Duration.ofMillis(2), Optional.of(Duration.ZERO), Optional.empty(),
                Optional.of(Duration.ofMillis(1)), 0, 10, "127.0.0.1", "");
    }

    @Test
    void seriesOfDeletedFunctionsAndVersionsAreRemoved() throws Exception {
        Changing registry = new Changing();
        registry.all.add(fn(KEPT, V1, V2));
        registry.all.add(fn(GONE, V1));
        try (Dispatcher dispatcher = Dispatcher.create(registry, DispatchSettings.defaults(), Clock.systemUTC())) {
            GatewayMetrics m = GatewayMetrics.create(registry, dispatcher);
            m.completed(served(KEPT, V1));
            m.completed(served(KEPT, V2));
            m.completed(served(GONE, V1));
            m.upstreamFailed(GONE, V1, UpstreamFailure.RESET);
            m.retried(GONE, V1);
            String before = m.scrape();
            assertTrue(before.contains("function=\"" + GONE + "\""), before);
            assertTrue(before.contains("version=\"" + V2 + "\""), before);

            registry.all.clear();
            registry.all.add(fn(KEPT, V1)); // GONE deleted, KEPT lost V2
            String after = m.scrape();
            assertFalse(after.contains(GONE.toString()), after);
            assertFalse(after.contains(V2.toString()), after);
            assertTrue(after.contains("fngate_requests_total{function=\"" + KEPT + "\",version=\"" + V1 + "\","
                    + "code_class=\"2xx\",error=\"none\",outcome=\"completed\",} 1.0"), after);

            m.completed(served(KEPT, V1)); // counting goes on for what remains
            assertTrue(m.scrape().contains("outcome=\"completed\",} 2.0"));
        }
    }

    @Test
    void edgeAnswersAreCountedAsUnroutedPlatformErrors() throws Exception {
        Changing registry = new Changing();
        try (Dispatcher dispatcher = Dispatcher.create(registry, DispatchSettings.defaults(), Clock.systemUTC())) {
            GatewayMetrics m = GatewayMetrics.create(registry, dispatcher);
            io.fngate.edge.EdgeAnswer answer = new io.fngate.edge.EdgeAnswer(java.time.Instant.now(),
                    io.fngate.edge.ProblemDetails.create(400, "malformed-request-line", "t", "d"),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty());
            m.answered(answer);
            m.answered(new io.fngate.edge.EdgeAnswer(answer.start(), answer.problem(), answer.method(),
                    answer.path(), answer.client(), answer.userAgent(), java.util.Optional.of(Duration.ofMillis(2))));
            assertTrue(m.scrape().contains("fngate_request_duration_seconds_count{function=\"none\","
                    + "version=\"none\",} 1.0"), "the known duration only: " + m.scrape());
            assertTrue(m.scrape().contains("fngate_requests_total{function=\"none\",version=\"none\","
                    + "code_class=\"4xx\",error=\"malformed-request-line\",outcome=\"platform_error\",} 2.0"),
                    m.scrape());
        }
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        Changing registry = new Changing();
        try (Dispatcher dispatcher = Dispatcher.create(registry, DispatchSettings.defaults(), Clock.systemUTC())) {
            GatewayMetrics m = GatewayMetrics.create(registry, dispatcher);
            String om = m.scrape(io.prometheus.client.exporter.common.TextFormat.chooseContentType(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8"));
            assertTrue(om.endsWith("# EOF\n"), om);
            assertFalse(m.scrape().contains("# EOF"));
        }
    }
}
