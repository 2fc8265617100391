package io.fngate.e2e.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping the gateway ({@link Gateway#close()}) does not wait on connections that have nothing in flight, whatever
 * protocol they speak. Draining on SIGTERM is {@link ShutdownTest}'s.
 */
@Timeout(120)
class StopTest {
    private static final UUID FN = UUID.fromString("5709e5a1-3c2b-4d6e-8f10-2a3b4c5d6e7f");

    /**
     * Helidon asks each connection once to close as it stops. An HTTP/2 connection whose stream was still ending at
     * that moment cannot be interrupted then, and its thread looks again only when a frame comes, which an idle
     * client never sends: the stop waited out the whole grace period (seen as a 30 s pause in an upstream TLS
     * test). The stop here comes the moment the answer is in, so that some rounds land in that window (about 1 in
     * 7 did before the edge asked again).
     */
    @Test
    void stoppingRightAfterAnHttp2AnswerDoesNotWaitForTheGracePeriod() throws Exception {
        for (int round = 0; round < 25; round++) {
            Gateway g = Gateway.start(Config.just(ConfigSources.create(Map.of(
                    "server.host", "127.0.0.1",
                    "server.port", "0",
                    "server.shutdown-grace-period", "10s",
                    "admin.port", "0",
                    "registry.store", "memory",
                    "functions.0.id", FN.toString(),
                    "functions.0.versions.0.id", UUID.randomUUID().toString(),
                    // nothing listens there: a quick 502, from a stream that ends as the answer is sent
                    "functions.0.versions.0.instances.0.url", "http://127.0.0.1:1"))));
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + g.publicPort() + "/x")).header("function-id", FN.toString())
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_2, r.version(), "the connection was upgraded to h2c");
                assertEquals(502, r.statusCode(), r.body());
                long t0 = System.nanoTime();
                g.close();
                long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                assertTrue(took < 3_000, "round " + round + ": the gateway took " + took + " ms to stop");
            }
        }
    }
}
