package io.fngate.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/2 and TLS still work behind the edge: h2c by prior knowledge and by Upgrade, ALPN h2, http/1.1, http/1.0. */
class ProtocolsTest {
    private static TestServer plain;
    private static TestServer tls;

    @BeforeAll
    static void start() {
        plain = TestServer.start();
        tls = TestServer.tls(TestTls.get().serverTls());
    }

    @AfterAll
    static void stop() {
        plain.close();
        tls.close();
    }

    @Test
    void h2cByPriorKnowledge() throws Exception {
        try (H2Client h2 = new H2Client(plain.port())) {
            H2Client.Reply reply = h2.get("/p?x=1", "example.com");
            assertEquals(0x88, reply.status(), ":status 200");
            assertEquals("ok GET /p?x=1 HTTP/2.0 host=example.com body=\n", reply.body());
            assertEquals("ok GET /q HTTP/2.0 host=example.com body=\n", h2.get("/q", "example.com").body(),
                    "a second stream on the same connection");
        }
    }

    @Test
    void drainingTellsHttp2ClientsToGoAwayWhileTheirStreamsFinish() throws Exception {
        try (TestServer server = TestServer.start(); H2Client h2 = new H2Client(server.port())) {
            int stream = h2.start("/slow?ms=800", "example.com");
            Thread.sleep(300); // the request is in the handler
            server.edge.draining(true);
            H2Client.Reply reply = h2.finish(stream, true);
            assertEquals(0x88, reply.status(), "the stream in flight finishes: :status 200");
            assertTrue(reply.body().startsWith("ok GET /slow"), reply.body());
            assertTrue(h2.goAway != null, "no GOAWAY before the stream ended");
            assertEquals(Integer.MAX_VALUE, h2.goAway[0], "last stream id: no stream refused yet");
            assertEquals(0, h2.goAway[1], "NO_ERROR");
        }
    }

    @Test
    void h2cByUpgrade() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        URI uri = URI.create("http://127.0.0.1:" + plain.port() + "/u");
        // java.net.http upgrades the first request on a cleartext connection (Upgrade: h2c + HTTP2-Settings)
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, first.version(), "the connection was upgraded");
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, second.version());
        assertEquals("ok GET /u HTTP/2.0 host=127.0.0.1:" + plain.port() + " body=\n", second.body());
    }

    @Test
    void tlsWithAlpnH2() throws Exception {
        HttpResponse<String> r = https(HttpClient.Version.HTTP_2, "/t2");
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals("ok GET /t2 HTTP/2.0 host=localhost:" + tls.port() + " body=\n", r.body());
    }

    @Test
    void tlsWithAlpnHttp11() throws Exception {
        HttpResponse<String> r = https(HttpClient.Version.HTTP_1_1, "/t1");
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        assertEquals("ok GET /t1 HTTP/1.1 host=localhost:" + tls.port() + " body=\n", r.body());
    }

    @Test
    void tlsWithAlpnHttp10() throws Exception {
        try (SSLSocket socket = (SSLSocket) TestTls.get().clientContext().getSocketFactory()
                .createSocket("127.0.0.1", tls.port())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.0"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            assertEquals("http/1.0", socket.getApplicationProtocol(), "the edge offers http/1.0 by ALPN");
            try (RawClient c = new RawClient(socket)) {
                RawClient.Response r = c.send("GET /t0 HTTP/1.0\r\nHost: localhost\r\n\r\n").read();
                assertEquals("ok GET /t0 HTTP/1.0 host=localhost body=\n", r.text());
                assertTrue(c.closedWithin(Duration.ofSeconds(2)));
            }
        }
    }

    @Test
    void tlsWithoutAlpnStillIdentifiesTheProtocol() throws Exception {
        try (SSLSocket socket = (SSLSocket) TestTls.get().clientContext().getSocketFactory()
                .createSocket("127.0.0.1", tls.port()); RawClient c = new RawClient(socket)) {
            RawClient.Response r = c.send("GET /n HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            assertEquals("ok GET /n HTTP/1.1 host=localhost body=\n", r.text());
            RawClient.Response bad = c.send("GET /n HTTP/1.1\r\n\r\n").read();
            ProblemAssert.assertProblem(bad, 400, "missing-host");
        }
    }

    private static HttpResponse<String> https(HttpClient.Version version, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(version).sslContext(TestTls.get().clientContext()).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + tls.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
