package io.fngate.registry;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One running copy of a function version, reachable at an HTTP base URL.
 *
 * @param host upstream host name or address
 * @param port upstream TCP port
 * @param url  the base URL as configured
 */
public record Instance(String host, int port, URI url) {

    /**
     * Validates the parts.
     */
    public Instance {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(url, "url");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be blank (url: " + url + ")");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
    }

    /**
     * Parses an instance base URL; only absolute {@code http} URLs without query or fragment are accepted
     * (the gateway speaks cleartext HTTP/1.1 to containers; TLS upstream is not supported yet).
     *
     * @param url base URL such as {@code http://127.0.0.1:9000}
     * @return the instance
     * @throws IllegalArgumentException when the URL is not an absolute http URL with a host
     */
    public static Instance parse(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (Exception e) {
            throw new IllegalArgumentException("url: not a valid URI: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("url: " + url + " (expected: an absolute http:// URL)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("url: " + url + " has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("url: " + url + " must not have a query or fragment");
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Instance(host, port, uri);
    }

    /**
     * The value of a {@code Host} header naming this instance.
     *
     * @return host, with the port when it is not 80
     */
    public String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 80 ? h : h + ":" + port;
    }
}
