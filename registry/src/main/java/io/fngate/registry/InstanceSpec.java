package io.fngate.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * One instance of a deployment as stored.
 *
 * @param id            instance id, stable for the life of the instance
 * @param url           base URL, absolute http
 * @param kind          how the instance joined
 * @param ttl           for registered instances, how long a registration lives without a heartbeat; empty: forever
 * @param addedAt       when it joined
 * @param specification for listed instances, the index of the deployment specification that lists it; empty for
 *                      registered instances
 */
public record InstanceSpec(UUID id, URI url, Kind kind, Optional<Duration> ttl, Instant addedAt,
                           OptionalInt specification) {

    /**
     * Checks the parts.
     */
    public InstanceSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(addedAt, "addedAt");
        Objects.requireNonNull(specification, "specification");
        if (specification.isPresent() != (kind == Kind.DEPLOYMENT) || specification.orElse(0) < 0) {
            throw new IllegalArgumentException("specification: " + specification + " for a " + kind + " instance");
        }
    }

    /**
     * Reads an instance base URL: absolute {@code http} or {@code https}, a host, no user info, path, query or
     * fragment. Returned in a normal form (lower-case scheme and host, no trailing slash) so that equal URLs compare
     * equal.
     *
     * @param value the URL as given
     * @param field where it came from, for the message ({@code instances[2]})
     * @return the normal form
     * @throws IllegalArgumentException {@code <field>: <value> <what is wrong>}
     */
    public static URI url(String value, String field) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + ": " + value + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException(field + ": " + value + " is relative (expected: http://host:port)");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(field + ": " + value + " is not an http or https URL (expected: "
                    + "http://host:port)");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(field + ": " + value + " has no host (expected: http://host:port)");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException(field + ": " + value + " has port " + uri.getPort()
                    + " (expected: 1..65535)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(field + ": " + value + " must be a base URL without path, query or "
                    + "fragment (requests keep their own path)");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
    }

    /**
     * How an instance joined a deployment.
     */
    public enum Kind {
        /** Listed in the deployment (POST/PUT of the deployment, or the configuration file). */
        DEPLOYMENT,
        /** Registered itself through the instances endpoint (orchestrators, sidecars). */
        REGISTERED
    }
}
