package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Forwarding headers: a client's are claims the gateway replaces; a trusted proxy's are extended. Names with
 * underscores never reach the container (CGI servers would fold them into the real ones).
 */
class ForwardingHeadersTest {

    private static JsonObject seen(TestGateway gw) throws Exception {
        HttpResponse<String> r = gw.http1.send(gw.request("/echo")
                .header("X-Forwarded-For", "1.2.3.4")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "api.example.com")
                .header("X-Forwarded-Port", "8443")
                .header("X-Real-IP", "5.6.7.8")
                .header("Forwarded", "for=1.2.3.4;proto=https")
                .header("X_Forwarded_For", "6.6.6.6")
                .header("My_Header", "x")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.createReader(new StringReader(r.body())).readObject().getJsonObject("headers");
    }

    private static String one(JsonObject headers, String name) {
        return headers.containsKey(name) ? String.join("|", headers.getJsonArray(name).getValuesAs(
                jakarta.json.JsonString::getString)) : null;
    }

    @Test
    void aClientsForwardingHeadersAreReplacedAndUnderscoreNamesDropped() throws Exception {
        try (FakeFunction f = FakeFunction.start(); TestGateway gw = TestGateway.start(f.url(), Map.of())) {
            JsonObject h = seen(gw);
            assertEquals("127.0.0.1", one(h, "x-forwarded-for"));
            assertEquals("http", one(h, "x-forwarded-proto"));
            assertEquals("127.0.0.1", one(h, "x-real-ip"));
            assertFalse(h.containsKey("x-forwarded-port"));
            assertFalse(h.containsKey("forwarded"));
            for (String name : List.of("x_forwarded_for", "my_header", "x-forwarded-for".replace('-', '_'))) {
                assertFalse(h.containsKey(name), name + " reached the container: " + h);
            }
        }
    }

    @Test
    void aTrustedProxysForwardingHeadersAreExtended() throws Exception {
        try (FakeFunction f = FakeFunction.start();
             TestGateway gw = TestGateway.start(f.url(), Map.of("invocation.trusted-proxies.0", "127.0.0.0/8"))) {
            JsonObject h = seen(gw);
            assertEquals("1.2.3.4, 127.0.0.1", one(h, "x-forwarded-for"));
            assertEquals("https", one(h, "x-forwarded-proto"));
            assertEquals("api.example.com", one(h, "x-forwarded-host"));
            assertEquals("5.6.7.8", one(h, "x-real-ip"));
            assertEquals("for=1.2.3.4;proto=https, for=\"127.0.0.1\"", one(h, "forwarded"));
            assertFalse(h.containsKey("x_forwarded_for"));
        }
    }
}
