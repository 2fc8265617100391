package io.fngate.edge;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EdgeSettingsTest {
    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values)).get("server.edge");
    }

    @Test
    void defaults() {
        EdgeSettings s = EdgeSettings.create(config(Map.of()));
        assertEquals(EdgeSettings.create(), s);
        assertEquals(Duration.ofSeconds(10), s.requestHeadTimeout());
        assertEquals(Duration.ofSeconds(75), s.idleTimeout());
        assertEquals(8192, s.maxRequestLine());
        assertEquals(16384, s.maxHeaderBytes());
        assertEquals(100, s.maxHeaderCount());
    }

    @Test
    void readsEveryKeyInEveryForm() {
        EdgeSettings s = EdgeSettings.create(config(Map.of(
                "server.edge.request-head-timeout", "PT2.5S",
                "server.edge.idle-timeout", "2m",
                "server.edge.max-request-line", "4KiB",
                "server.edge.max-header-bytes", "1MiB",
                "server.edge.max-header-count", "50")));
        assertEquals(new EdgeSettings(Duration.ofMillis(2500), Duration.ofMinutes(2), 4096, 1024 * 1024, 50), s);
        assertEquals(Duration.ofMillis(500),
                EdgeSettings.create(config(Map.of("server.edge.request-head-timeout", "500ms"))).requestHeadTimeout());
    }

    @Test
    void errorsNameTheKey() {
        assertMessage("server.edge.idle-timeout: soon (expected: PT10S, 10s, 500ms, 2m or 1h)",
                Map.of("server.edge.idle-timeout", "soon"));
        assertMessage("server.edge.request-head-timeout: PT0S (expected: > 0 and <= 24h)",
                Map.of("server.edge.request-head-timeout", "0s"));
        assertMessage("server.edge.max-request-line: 10 (expected: 64..1048576)",
                Map.of("server.edge.max-request-line", "10"));
        assertMessage("server.edge.max-header-bytes: lots (expected: a number, or bytes with KiB or MiB)",
                Map.of("server.edge.max-header-bytes", "lots"));
        assertMessage("server.edge.max-header-count: 0 (expected: 1..10000)",
                Map.of("server.edge.max-header-count", "0"));
    }

    private static void assertMessage(String message, Map<String, String> values) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EdgeSettings.create(config(values)));
        assertEquals(message, e.getMessage());
    }
}
