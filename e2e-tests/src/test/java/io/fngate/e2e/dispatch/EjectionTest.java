package io.fngate.e2e.dispatch;

import static io.fngate.e2e.dispatch.DispatchGateway.V1;
import static io.fngate.e2e.dispatch.DispatchGateway.await;
import static io.fngate.e2e.dispatch.DispatchGateway.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fngate.registry.Instance;
import io.fngate.server.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Passive outlier ejection and connect retries, for instances without a health check. */
@Timeout(120)
class EjectionTest {

    @Test
    void aRefusingInstanceCostsNoClientRequestIsEjectedAndComesBackWhenItRecovers() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            deadPort = probe.getLocalPort(); // free again once closed: connecting to it is refused
        }
        String dead = "http://127.0.0.1:" + deadPort;
        try (CountingFunction live = CountingFunction.start("live")) {
            Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 8, List.of(live.url(), dead))),
                    Map.of("dispatch.ejection.consecutive-failures", "3", "dispatch.ejection.base-time", "1s"));
            try {
                Instance deadInstance = Instance.parse(dead);
                for (int i = 0; i < 100; i++) {
                    HttpResponse<String> r = DispatchGateway.CLIENT.send(request(g, "/work").build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), "request " + i + " failed: " + r.body());
                }
                var load = g.dispatcher().load(V1, deadInstance).orElseThrow();
                assertTrue(load.ejectedUntil().isPresent(), "the refusing instance is not ejected: " + load);
                assertEquals(100, live.served.get());
                // it recovers: once its ejection ends it takes requests again
                try (CountingFunction back = CountingFunction.startOn("back", deadPort)) {
                    await("the recovered instance serves again", () -> {
                        try {
                            DispatchGateway.CLIENT.send(request(g, "/work").build(), HttpResponse.BodyHandlers.ofString());
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        return back.served.get() > 0;
                    }, Duration.ofSeconds(10));
                    for (int i = 0; i < 40; i++) {
                        assertEquals(200, DispatchGateway.CLIENT.send(request(g, "/work").build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode());
                    }
                    assertTrue(back.served.get() >= 10, "the recovered instance got " + back.served + " of 40");
                    var after = g.dispatcher().load(V1, deadInstance).orElseThrow();
                    assertTrue(after.ejectedUntil().isEmpty());
                    assertEquals(0, after.consecutiveFailures());
                }
            } finally {
                g.close();
            }
        }
    }

    @Test
    void whenEveryInstanceRefusesTheClientGets502AfterTheRetries() throws Exception {
        int p1;
        int p2;
        try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
            p1 = s1.getLocalPort();
            p2 = s2.getLocalPort();
        }
        Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 8,
                List.of("http://127.0.0.1:" + p1, "http://127.0.0.1:" + p2))), Map.of());
        try {
            HttpResponse<String> r = DispatchGateway.CLIENT.send(request(g, "/work").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, r.statusCode());
            assertTrue(r.body().contains("upstream-unreachable"), r.body());
            assertEquals(0, g.dispatcher().inFlight());
        } finally {
            g.close();
        }
    }
}
