package io.fngate.e2e.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances reached over {@code https://}: the certificate verified against the configured CA and the URL's
 * host, connections kept alive, bodies streamed both ways, health checks over TLS too; an instance whose
 * certificate is not trusted or names another host gets no request.
 */
@Timeout(120)
class UpstreamTlsTest {
    static final UUID FN = UUID.fromString("7e570000-0d7b-4c55-9a1e-3b9b6f0c2d12");

    @TempDir
    Path dir;

    @Test
    void httpsInstanceTrustedThroughTheConfiguredCaServesWithKeepAliveAndHealthChecks() throws Exception {
        TestCertificates.Pair pair = TestCertificates.make(dir, "upstream");
        try (TlsFunction f = TlsFunction.start(dir.resolve("upstream.p12"))) {
            Map<String, String> c = config("https://localhost:" + f.port());
            c.put("invocation.upstream-tls.ca", pair.certificate().toString());
            // checks every 100 ms, three failures in a row take the instance out: a check that does not speak
            // TLS would leave no healthy instance within the loop below, while one slow check on a loaded
            // machine does not
            c.put("registry.health.interval", "100ms");
            c.put("registry.health.unhealthy-threshold", "3");
            c.put("functions.0.versions.0.health.uri", "/health");
            try (Gateway g = Gateway.start(Config.just(ConfigSources.create(c)))) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                // a new instance takes requests once a first check over TLS passed (on a loaded machine the first
                // handshakes are slow); a check that cannot speak TLS never lets it in
                long ready = System.nanoTime() + 15_000_000_000L;
                while (client.send(invoke(g, "/echo").build(), HttpResponse.BodyHandlers.discarding()).statusCode()
                        != 200 && System.nanoTime() < ready) {
                    Thread.sleep(50);
                }
                long until = System.nanoTime() + 1_500_000_000L;
                int n = 0;
                while (System.nanoTime() < until || n < 20) {
                    String body = "payload-" + n + "-" + "x".repeat(n * 1000);
                    HttpResponse<String> r = client.send(invoke(g, "/echo?n=" + n)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    assertEquals("POST /echo?n=" + n + " " + body, r.body());
                    n++;
                    Thread.sleep(20);
                }
                assertTrue(f.healthChecks.get() >= 3, "health checks over TLS: " + f.healthChecks.get());
                // one or two connections carried them all (the pool keeps TLS connections alive)
                assertTrue(f.connections.size() <= 2, "TLS connections opened: " + f.connections.size());
            }
        }
    }

    @Test
    void untrustedOrMisnamedCertificateGetsNoRequest() throws Exception {
        TestCertificates.Pair pair = TestCertificates.make(dir, "upstream");
        TestCertificates.Pair other = TestCertificates.make(dir, "other");
        TestCertificates.make(dir, "elsewhere", "dns:elsewhere.example");
        try (TlsFunction f = TlsFunction.start(dir.resolve("upstream.p12"));
             TlsFunction misnamed = TlsFunction.start(dir.resolve("elsewhere.p12"))) {
            // a CA that did not sign the instance's certificate
            Map<String, String> untrusted = config("https://localhost:" + f.port());
            untrusted.put("invocation.upstream-tls.ca", other.certificate().toString());
            // the trusted certificate, but it names another host than the URL
            Map<String, String> wrongHost = config("https://localhost:" + misnamed.port());
            wrongHost.put("invocation.upstream-tls.ca", dir.resolve("elsewhere.crt").toString());
            // no CA configured: the JDK's CAs do not know a self-signed certificate
            Map<String, String> systemCas = config("https://localhost:" + f.port());
            for (Map<String, String> c : List.of(untrusted, wrongHost, systemCas)) {
                try (Gateway g = Gateway.start(Config.just(ConfigSources.create(c)))) {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(invoke(g, "/echo").build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertTrue(r.statusCode() == 502 || r.statusCode() == 503, r.statusCode() + " " + r.body());
                    assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""));
                }
            }
            assertEquals(0, f.requests.get() + misnamed.requests.get(), "requests that reached an instance");
            // the trusted pair works against the same function (the refusals above were about trust)
            Map<String, String> trusted = config("https://localhost:" + f.port());
            trusted.put("invocation.upstream-tls.ca", pair.certificate().toString());
            try (Gateway g = Gateway.start(Config.just(ConfigSources.create(trusted)))) {
                assertEquals(200, HttpClient.newHttpClient().send(invoke(g, "/echo").build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
        }
    }

    private static Map<String, String> config(String instanceUrl) {
        Map<String, String> c = new HashMap<>();
        c.put("server.host", "127.0.0.1");
        c.put("server.port", "0");
        c.put("admin.port", "0");
        c.put("registry.store", "memory");
        c.put("functions.0.id", FN.toString());
        c.put("functions.0.versions.0.id", UUID.randomUUID().toString());
        c.put("functions.0.versions.0.max-request-concurrency", "4");
        c.put("functions.0.versions.0.instances.0.url", instanceUrl);
        return c;
    }

    private static HttpRequest.Builder invoke(Gateway g, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.publicPort() + path))
                .header("function-id", FN.toString());
    }

    /** An HTTPS function: echoes method, target and body; counts connections, requests and health checks. */
    static final class TlsFunction implements AutoCloseable {
        final HttpsServer server;
        final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger healthChecks = new AtomicInteger();

        private TlsFunction(HttpsServer server) {
            this.server = server;
        }

        static TlsFunction start(Path p12) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                ks.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(ctx));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            TlsFunction f = new TlsFunction(server);
            server.createContext("/health", x -> {
                f.healthChecks.incrementAndGet();
                x.sendResponseHeaders(200, -1);
                x.close();
            });
            server.createContext("/", x -> {
                f.requests.incrementAndGet();
                f.connections.add(x.getRemoteAddress());
                byte[] body;
                try (InputStream in = x.getRequestBody()) {
                    body = in.readAllBytes();
                }
                byte[] out = (x.getRequestMethod() + " " + x.getRequestURI() + " "
                        + new String(body, StandardCharsets.UTF_8)).trim().getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(200, out.length);
                try (OutputStream o = x.getResponseBody()) {
                    o.write(out);
                }
            });
            server.start();
            return f;
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() throws IOException {
            server.stop(0);
        }
    }
}
