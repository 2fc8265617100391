package io.fngate.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.helidon.common.tls.Tls;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per test run with the JDK's keytool (EC P-256:
 * quick to generate), as Helidon server TLS and as a client trust store.
 */
final class TestTls {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static TestTls instance;

    private final PrivateKey key;
    private final X509Certificate certificate;

    private TestTls(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    static synchronized TestTls get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    private static TestTls generate() {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("edge.test.dir", "target/edge-test")));
            Path store = dir.resolve("edge-test.p12");
            Files.deleteIfExists(store);
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "edge", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD);
            }
            return new TestTls((PrivateKey) ks.getKey("edge", PASSWORD), (X509Certificate) ks.getCertificate("edge"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Server side: the key and its certificate. */
    Tls serverTls() {
        return Tls.builder().privateKey(key).privateKeyCertChain(List.of(certificate)).build();
    }

    /** Client side: trusts this certificate only. */
    SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("edge", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
