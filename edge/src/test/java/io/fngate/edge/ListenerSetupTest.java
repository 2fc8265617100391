package io.fngate.edge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a server installs the edge: on a named socket, and beside a listener configuration. */
class ListenerSetupTest {
    private static final String HTTP10 = "GET /x HTTP/1.0\r\nUser-Agent: test\r\n\r\n"; // over 24 bytes

    @Test
    void installsOnANamedSocketOnly() {
        EdgeSettings settings = new EdgeSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 8192, 16384, 100);
        try (Edge edge = Edge.create(settings)) {
            WebServer server = WebServer.builder()
                    .host("127.0.0.1").port(0)
                    .routing(r -> r.any((req, res) -> res.send("plain\n")))
                    .putSocket("public", s -> {
                        s.host("127.0.0.1").port(0).routing(r -> r.any((req, res) -> res.send("edge "
                                + Edge.wireVersion(req) + "\n")));
                        edge.applyTo(s);
                    })
                    .build().start();
            try {
                try (RawClient c = new RawClient(server.port("public"))) {
                    assertEquals("edge HTTP/1.0\n", c.send(HTTP10).read().text());
                }
                try (RawClient silent = new RawClient(server.port("public"))) {
                    // the edge owns the connection from accept on (it is the only selector): silence is timed
                    assertTrue(silent.closedWithin(Duration.ofSeconds(3)));
                }
                try (RawClient c = new RawClient(server.port())) {
                    // Helidon alone closes an HTTP/1.0 connection without a word (proto-edge FINDINGS 1)
                    assertTrue(c.send(HTTP10).closedWithin(Duration.ofSeconds(2)));
                }
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void configuredProtocolsAddHelidonSelectorsButTheEdgeStillAnswers() {
        Config config = Config.just(ConfigSources.create(Map.of(
                "server.host", "127.0.0.1", "server.port", "0",
                "server.protocols.http_1_1.max-prologue-length", "2048"))).get("server");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(EdgeSelector.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        WebServerConfig.Builder builder = WebServer.builder().config(config)
                .routing(r -> r.any((req, res) -> res.send("edge " + Edge.wireVersion(req) + "\n")));
        try (Edge edge = Edge.install(builder, EdgeSettings.create())) {
            WebServer server = builder.build().start();
            try (RawClient c = new RawClient(server.port())) {
                // Helidon reads the first bytes to choose, then hands them over (logged as a warning)
                assertEquals("edge HTTP/1.0\n", c.send(HTTP10).read().text());
            } finally {
                server.stop();
            }
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, warnings.size(), "said once");
        assertEquals(Level.WARNING, warnings.getFirst().getLevel());
        assertTrue(warnings.getFirst().getMessage().contains("not the only connection selector"));
    }
}
