package io.fngate.e2e.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import io.fngate.e2e.dispatch.CountingFunction;
import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both sockets from PEM files: HTTP/1.1 and HTTP/2 chosen by ALPN, h2c beside it on a cleartext port,
 * a wildcard certificate for {@code {function-id}.invocation.<domain>}, and a certificate swapped on disk taken
 * up without a restart (a mismatched pair is refused and the current certificate stays).
 */
@Timeout(120)
class TlsTest {
    static final UUID FN = UUID.fromString("7e570000-0d7b-4c55-9a1e-3b9b6f0c2d11");

    @TempDir
    Path dir;

    @Test
    void bothSocketsServeTlsWithAlpnAndTakeANewCertificateWithoutRestart() throws Exception {
        TestCertificates.Pair a = TestCertificates.make(dir, "alpha");
        TestCertificates.Pair b = TestCertificates.make(dir, "beta");
        Path cert = dir.resolve("served.crt");
        Path key = dir.resolve("served.key");
        Files.copy(a.certificate(), cert);
        Files.copy(a.key(), key);
        try (CountingFunction f = CountingFunction.start("f")) {
            Map<String, String> c = new HashMap<>();
            c.put("server.host", "127.0.0.1");
            c.put("server.port", "0");
            c.put("server.plain-port", "0");
            c.put("server.tls.certificate", cert.toString());
            c.put("server.tls.key", key.toString());
            c.put("server.tls.reload-interval", "200ms");
            c.put("admin.port", "0");
            c.put("admin.tls.certificate", cert.toString());
            c.put("admin.tls.key", key.toString());
            c.put("registry.store", "memory");
            c.put("functions.0.id", FN.toString());
            c.put("functions.0.versions.0.id", UUID.randomUUID().toString());
            c.put("functions.0.versions.0.max-request-concurrency", "16");
            c.put("functions.0.versions.0.instances.0.url", f.url());
            try (Gateway g = Gateway.start(Config.just(ConfigSources.create(c)))) {
                SSLContext trust = TestCertificates.trusting(List.of(a, b));
                String https = "https://127.0.0.1:" + g.publicPort() + "/work";
                for (HttpClient.Version v : HttpClient.Version.values()) {
                    HttpClient client = HttpClient.newBuilder().version(v).sslContext(trust).build();
                    HttpResponse<String> r = client.send(request(https).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                    assertEquals(v, r.version(), "ALPN chose " + r.version() + " for a client asking " + v);
                    assertEquals("CN=alpha", subject(r));
                }
                // h2c on the cleartext port beside it
                HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
                String plain = "http://127.0.0.1:" + g.plainPort().orElseThrow() + "/work";
                h2c.send(request(plain).build(), HttpResponse.BodyHandlers.ofString()); // the Upgrade: h2c exchange
                assertEquals(HttpClient.Version.HTTP_2, h2c.send(request(plain).build(),
                        HttpResponse.BodyHandlers.ofString()).version());
                // the admin socket too
                HttpResponse<String> live = HttpClient.newBuilder().sslContext(trust).build().send(HttpRequest
                        .newBuilder(URI.create("https://127.0.0.1:" + g.adminPort() + "/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, live.statusCode());

                // a key that does not match its certificate is refused: alpha keeps serving
                replace(b.certificate(), cert);
                Thread.sleep(1000);
                assertEquals("CN=alpha", subject(fresh(trust).send(request(https).build(),
                        HttpResponse.BodyHandlers.ofString())));
                // the matching key arrives: beta is served, without a restart
                replace(b.key(), key);
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                String served = "";
                while (System.nanoTime() < until && !served.equals("CN=beta")) {
                    Thread.sleep(100);
                    served = subject(fresh(trust).send(request(https).build(), HttpResponse.BodyHandlers.ofString()));
                }
                assertEquals("CN=beta", served);
                assertTrue(g.publicPort() > 0);
            }
        }
    }

    @Test
    void aWildcardCertificateServesFunctionHostsAsCurlSeesThem() throws Exception {
        TestCertificates.Pair a = TestCertificates.make(dir, "wild");
        try (CountingFunction f = CountingFunction.start("f")) {
            Map<String, String> c = new HashMap<>();
            c.put("server.host", "127.0.0.1");
            c.put("server.port", "0");
            c.put("server.tls.certificate", a.certificate().toString());
            c.put("server.tls.key", a.key().toString());
            c.put("admin.port", "0");
            c.put("registry.store", "memory");
            c.put("functions.0.id", FN.toString());
            c.put("functions.0.versions.0.id", UUID.randomUUID().toString());
            c.put("functions.0.versions.0.instances.0.url", f.url());
            try (Gateway g = Gateway.start(Config.just(ConfigSources.create(c)))) {
                String host = FN + ".invocation.localhost";
                Process curl = new ProcessBuilder("curl", "-sS", "--http2", "-o", "/dev/null", "-w",
                        "%{http_code} %{http_version}", "--resolve", host + ":" + g.publicPort() + ":127.0.0.1",
                        "--cacert", a.certificate().toString(), "https://" + host + ":" + g.publicPort() + "/work")
                        .redirectErrorStream(true).start();
                String out = new String(curl.getInputStream().readAllBytes()).trim();
                curl.waitFor();
                assertEquals("200 2", out, "curl verified the wildcard name and routed by Host");
            }
        }
    }

    private static HttpRequest.Builder request(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).header("function-id", FN.toString())
                .timeout(Duration.ofSeconds(10));
    }

    private static HttpClient fresh(SSLContext trust) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust).build();
    }

    private static String subject(HttpResponse<?> r) throws Exception {
        return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSubjectX500Principal()
                .getName();
    }

    /** Replaces a file the way a deployment tool would: a new file moved over the old one. */
    private static void replace(Path from, Path target) throws Exception {
        Path temp = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
