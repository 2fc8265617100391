package io.fngate.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.config.Config;

/**
 * TLS for a socket from a PEM certificate chain and a PEM private key, reloaded when the files change: the
 * content of both is hashed every poll interval (content, not modification time: Kubernetes swaps secret volumes
 * by symlink), and a changed pair that loads and matches replaces the served one without a restart. A pair that
 * does not load or does not match (a half-written update) is logged and retried; the current one stays.
 * ALPN offers what the socket's protocols support ({@code h2} and {@code http/1.1}).
 * <p>
 * Not responsible for which socket it serves: the owner applies {@link #current()} and reloads.
 */
final class TlsFiles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TlsFiles.class.getName());

    private final String name;
    private final Path certificate;
    private final Path key;
    private final Duration interval;
    private volatile Tls current;
    private volatile String fingerprint;
    private volatile boolean closed;
    private Thread watcher;

    private TlsFiles(String name, Path certificate, Path key, Duration interval) {
        this.name = name;
        this.certificate = certificate;
        this.key = key;
        this.interval = interval;
        this.fingerprint = fingerprint();
        this.current = load(certificate, key);
    }

    /**
     * Reads {@code <node>.certificate} and {@code <node>.key} (and {@code reload-interval}, default 2 s).
     *
     * @param name what the socket is, for the log
     * @param node the {@code tls} node of a socket
     * @return the TLS files, or empty when the node is absent
     * @throws IllegalArgumentException naming the key when a file is missing, unreadable or the pair does not match
     */
    static Optional<TlsFiles> create(String name, Config node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        Config cert = node.get("certificate");
        Config key = node.get("key");
        Path certPath = Path.of(cert.asString().orElseThrow(
                () -> new IllegalArgumentException(cert.key() + ": missing (a PEM certificate chain file)")));
        Path keyPath = Path.of(key.asString().orElseThrow(
                () -> new IllegalArgumentException(key.key() + ": missing (a PEM private key file)")));
        Duration interval = GatewaySettings.duration(node.get("reload-interval"), Duration.ofSeconds(2));
        try {
            return Optional.of(new TlsFiles(name, certPath, keyPath, interval));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(node.key() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the TLS configuration serving now
     */
    Tls current() {
        return current;
    }

    /**
     * Starts watching the files; {@code reload} gets each new configuration.
     *
     * @param reload applies a new TLS configuration to the socket
     */
    void watch(Consumer<Tls> reload) {
        watcher = Thread.ofPlatform().daemon().name("fngate-tls-" + name).start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                String now = fingerprint();
                if (now == null || now.equals(fingerprint)) {
                    continue;
                }
                try {
                    Tls tls = load(certificate, key);
                    reload.accept(tls);
                    current = tls;
                    fingerprint = now;
                    LOG.info("TLS certificate of the " + name + " socket reloaded from " + certificate);
                } catch (RuntimeException e) {
                    LOG.warning("TLS files of the " + name + " socket changed but do not load (" + e.getMessage()
                            + "); the current certificate stays");
                }
            }
        });
    }

    static Tls load(Path certificate, Path key) {
        if (!Files.isReadable(certificate)) {
            throw new IllegalArgumentException("cannot read the certificate file " + certificate);
        }
        if (!Files.isReadable(key)) {
            throw new IllegalArgumentException("cannot read the private key file " + key);
        }
        Keys keys = Keys.builder()
                .pem(pem -> pem.key(Resource.create(key)).certChain(Resource.create(certificate)))
                .build();
        PrivateKey privateKey = keys.privateKey()
                .orElseThrow(() -> new IllegalArgumentException("no private key in " + key));
        if (keys.certChain().isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + certificate);
        }
        checkPair(privateKey, keys.certChain().getFirst());
        return Tls.builder().privateKey(privateKey).privateKeyCertChain(keys.certChain()).build();
    }

    /** Helidon accepts a key that does not match its certificate (every handshake then fails): check it here. */
    private static void checkPair(PrivateKey key, X509Certificate certificate) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "fngate key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] signed = s.sign();
            s.initVerify(certificate.getPublicKey());
            s.update(probe);
            if (!s.verify(signed)) {
                throw new IllegalArgumentException("the private key does not match the certificate "
                        + certificate.getSubjectX500Principal());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key does not match the certificate: " + e.getMessage(), e);
        }
    }

    private String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(certificate));
            md.update(Files.readAllBytes(key));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | GeneralSecurityException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
