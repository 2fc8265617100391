package io.fngate.e2e.dispatch;

import static io.fngate.e2e.dispatch.DispatchGateway.FN;
import static io.fngate.e2e.dispatch.DispatchGateway.V1;
import static io.fngate.e2e.dispatch.DispatchGateway.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fngate.server.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which version serves: the one named (Host or header), else any, in proportion to instances. */
@Timeout(120)
class VersionsTest {

    @Test
    void aNamedVersionServesAloneAndUnnamedRequestsSpreadByCapacity() throws Exception {
        try (CountingFunction one = CountingFunction.start("v1-a");
             CountingFunction two = CountingFunction.start("v2-a");
             CountingFunction three = CountingFunction.start("v2-b")) {
            Gateway g = DispatchGateway.start(List.of(
                    new DispatchGateway.Version(V1, 4, List.of(one.url())),
                    new DispatchGateway.Version(V2, 4, List.of(two.url(), three.url()))), Map.of());
            try {
                String base = "http://127.0.0.1:" + g.publicPort();
                for (int i = 0; i < 20; i++) {
                    assertEquals("v1-a", body(HttpRequest.newBuilder(URI.create(base + "/work"))
                            .header("Host", V1 + "." + FN + ".invocation.example.com")));
                    assertTrue(body(HttpRequest.newBuilder(URI.create(base + "/work"))
                            .header("function-id", FN.toString()).header("function-version-id", V2.toString()))
                            .startsWith("v2-"));
                }
                assertEquals(20, one.served.get());
                int before = one.served.get();
                int total = 600;
                for (int i = 0; i < total; i++) {
                    body(DispatchGateway.request(g, "/work"));
                }
                double share = (one.served.get() - before) / (double) total;
                // one instance of three: a third of the requests, not half as a random pick of versions would give
                assertTrue(share > 0.25 && share < 0.42, "version 1 (1 of 3 instances) got " + share);
            } finally {
                g.close();
            }
        }
    }

    private static String body(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = DispatchGateway.CLIENT.send(b.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
