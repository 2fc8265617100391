package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Containers close idle keep-alive connections without notice; the gateway must never turn that into an error.
 */
class StaleConnectionTest {

    @Test
    void containerThatClosesAfterEveryResponseNeverCausesAFailedRequest() throws Exception {
        // answers keep-alive style (no Connection: close) and then closes: every pooled connection goes stale
        try (RawFunction function = RawFunction.answering(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
             TestGateway gw = TestGateway.start(function.url(), Map.of())) {
            for (int i = 0; i < 500; i++) {
                HttpRequest.Builder request = gw.request("/stale/" + i);
                if (i % 2 == 0) {
                    request.POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"));
                }
                HttpResponse<String> res = gw.http1.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, res.statusCode(), "request " + i + ": " + res.body());
                assertEquals("ok", res.body());
            }
        }
    }
}
