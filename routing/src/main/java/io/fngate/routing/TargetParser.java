package io.fngate.routing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Parses the invocation target from headers and the Host. Headers win over the Host (as in NVCF).
 */
final class TargetParser {
    static final String FUNCTION_ID = "function-id";
    static final String FUNCTION_VERSION_ID = "function-version-id";
    private static final String INVOCATION_LABEL = "invocation";

    private final List<String> domains;

    TargetParser(List<String> domains) {
        this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * @return a target, or a failure of kind NO_TARGET or MALFORMED_TARGET
     */
    Parsed parse(String authority, Function<String, Optional<String>> headers) {
        Optional<String> fnHeader = headers.apply(FUNCTION_ID);
        Optional<String> versionHeader = headers.apply(FUNCTION_VERSION_ID);
        if (fnHeader.isPresent()) {
            UUID fn = uuid(fnHeader.get());
            if (fn == null) {
                return Parsed.failed(RouteFailure.Kind.MALFORMED_TARGET,
                        "Header function-id is not a UUID.");
            }
            return withVersionHeader(fn, versionHeader);
        }
        String host = hostOf(authority);
        String[] labels = host.split("\\.", -1);
        int at = invocationLabel(labels);
        if (at < 0) {
            if (versionHeader.isPresent()) {
                return Parsed.failed(RouteFailure.Kind.MALFORMED_TARGET,
                        "Header function-version-id needs a function-id header or an invocation Host.");
            }
            return Parsed.failed(RouteFailure.Kind.NO_TARGET,
                    "No function named: send Host {function-id}.invocation.<domain> or a function-id header.");
        }
        UUID fn = uuid(labels[at - 1]);
        UUID version = at == 2 ? uuid(labels[0]) : null;
        if (fn == null || (at == 2 && version == null)) {
            return Parsed.failed(RouteFailure.Kind.MALFORMED_TARGET,
                    "Host must be {function-id}.invocation.<domain> or {version-id}.{function-id}.invocation.<domain>"
                            + " with UUID ids.");
        }
        if (version != null) {
            return Parsed.of(InvocationTarget.of(fn, version));
        }
        return withVersionHeader(fn, versionHeader);
    }

    private Parsed withVersionHeader(UUID fn, Optional<String> versionHeader) {
        if (versionHeader.isEmpty()) {
            return Parsed.of(InvocationTarget.of(fn));
        }
        UUID version = uuid(versionHeader.get());
        if (version == null) {
            return Parsed.failed(RouteFailure.Kind.MALFORMED_TARGET, "Header function-version-id is not a UUID.");
        }
        return Parsed.of(InvocationTarget.of(fn, version));
    }

    /** Index of the "invocation" label when it follows one or two id labels and precedes an accepted domain. */
    private int invocationLabel(String[] labels) {
        for (int at = 1; at <= 2 && at < labels.length; at++) {
            if (labels[at].equals(INVOCATION_LABEL) && domainAccepted(labels, at + 1)) {
                return at;
            }
        }
        return -1;
    }

    private boolean domainAccepted(String[] labels, int from) {
        if (from >= labels.length) {
            return false;
        }
        if (domains.isEmpty()) {
            return true;
        }
        String domain = String.join(".", List.of(labels).subList(from, labels.length));
        return domains.contains(domain);
    }

    private static String hostOf(String authority) {
        String host = authority.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return host; // an IPv6 literal is never an invocation host
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    private static UUID uuid(String value) {
        String v = value.trim();
        if (v.length() != 36) {
            return null; // UUID.fromString accepts short forms such as 1-1-1-1-1
        }
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    record Parsed(InvocationTarget target, RouteFailure failure) {
        static Parsed of(InvocationTarget target) {
            return new Parsed(target, null);
        }

        static Parsed failed(RouteFailure.Kind kind, String detail) {
            return new Parsed(null, new RouteFailure(kind, detail));
        }
    }
}
