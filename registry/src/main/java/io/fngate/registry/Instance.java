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
     * Parses an instance base URL; only absolute {@code http} or {@code https} URLs without query or fragment are
     * accepted (the gateway speaks HTTP/1.1 to containers, over TLS for {@code https}).
     *
     * @param url base URL such as {@code http://127.0.0.1:9000}
     * @return the instance
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host
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
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url: " + url + " (expected: an absolute http:// or https:// URL)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("url: " + url + " has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("url: " + url + " must not have a query or fragment");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Instance(host, port, uri);
    }

    /**
     * @return whether the instance is reached over TLS ({@code https})
     */
    public boolean secure() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    /**
     * The value of a {@code Host} header naming this instance.
     *
     * @return host, with the port when it is not the scheme's default
     */
    public String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == (secure() ? 443 : 80) ? h : h + ":" + port;
    }
}
