package io.fngate.invocation;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the gateway trusts instances reached over {@code https://}: the JDK's default CAs, or the certificates of
 * one PEM file ({@code invocation.upstream-tls.ca}). Certificates are always verified and the instance URL's host
 * must match the certificate (SNI is sent for host names).
 * <p>
 * Not responsible for client certificates (mutual TLS to instances is not offered) or for reloading the CA file:
 * it is read once at start.
 */
public final class UpstreamTls {
    /** The context, made at first use for the JDK's defaults (loading its CA certificates takes ~150 ms). */
    private final java.util.function.Supplier<SSLContext> context;
    private final String description;
    private volatile SSLSocketFactory factory;

    private UpstreamTls(java.util.function.Supplier<SSLContext> context, String description) {
        this.context = context;
        this.description = description;
    }

    /**
     * @return the TLS context, for other clients of instances (health checks) to trust the same certificates
     */
    public SSLContext context() {
        return context.get();
    }

    /**
     * Trust the JDK's default CA certificates.
     *
     * @return the default
     */
    public static UpstreamTls systemDefault() {
        return new UpstreamTls(new java.util.function.Supplier<>() {
            private SSLContext made;

            @Override
            public synchronized SSLContext get() {
                if (made == null) {
                    try {
                        made = SSLContext.getDefault();
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("no default TLS context", e);
                    }
                }
                return made;
            }
        }, "system CAs");
    }

    /**
     * Trust exactly the certificates in a PEM file (one or more {@code CERTIFICATE} blocks).
     *
     * @param caPem the PEM file
     * @return settings trusting those certificates only
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public static UpstreamTls trusting(Path caPem) {
        Objects.requireNonNull(caPem, "caPem");
        try (InputStream in = Files.newInputStream(caPem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("ca: " + caPem + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return new UpstreamTls(() -> ctx, caPem.toString());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("ca: cannot read " + caPem + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts TLS over a connected socket and completes the handshake, verifying the certificate against the host
     * name (or IP address) the instance URL names.
     */
    SSLSocket wrap(Socket connected, String host, int port) throws IOException {
        SSLSocketFactory f = factory;
        if (f == null) {
            f = context().getSocketFactory();
            factory = f;
        }
        SSLSocket ssl = (SSLSocket) f.createSocket(connected, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setApplicationProtocols(new String[] {"http/1.1"});
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    @Override
    public String toString() {
        return "UpstreamTls[" + description + "]";
    }
}
