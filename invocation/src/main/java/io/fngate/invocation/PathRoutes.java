package io.fngate.invocation;

import java.util.Optional;
import java.util.UUID;

import io.fngate.routing.InvocationTarget;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * NVCF's path routes on the public socket, for requests whose Host and headers name no function:
 * {@code /v2/nvcf/pexec/functions/{functionId}[/versions/{versionId}]} (also {@code /v2/nvcf/exec/...}) invoke;
 * {@code /v2/nvcf/pexec/status/{requestId}} polls a result answered 202. These routes answer CORS themselves,
 * permissively as NVCF does (any origin, credentials allowed); the Host route leaves CORS to the container.
 * Not responsible for authentication or for what an invocation does.
 */
final class PathRoutes {
    private static final String PREFIX = "/v2/nvcf/";

    private PathRoutes() {
    }

    /** What a path route asks for. */
    sealed interface Match permits Invoke, Poll, Malformed {
    }

    /** @param target the function (and version) to invoke */
    record Invoke(InvocationTarget target) implements Match {
    }

    /** @param requestId the request whose result is asked for */
    record Poll(UUID requestId) implements Match {
    }

    /** @param detail what is wrong with the path */
    record Malformed(String detail) implements Match {
    }

    /**
     * @param rawPath the request's path
     * @return the route, or empty when the path is not one of NVCF's invocation routes
     */
    static Optional<Match> match(String rawPath) {
        if (!rawPath.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = rawPath.substring(PREFIX.length()).split("/", -1);
        int n = parts.length;
        if (n >= 3 && parts[0].equals("pexec") && parts[1].equals("status")) {
            return Optional.of(n == 3 ? uuid(parts[2]).<Match>map(Poll::new)
                    .orElseGet(() -> malformed("request id", parts[2])) : malformed("path", rawPath));
        }
        if (n >= 3 && (parts[0].equals("pexec") || parts[0].equals("exec")) && parts[1].equals("functions")) {
            Optional<UUID> function = uuid(parts[2]);
            if (function.isEmpty()) {
                return Optional.of(malformed("function id", parts[2]));
            }
            if (n == 3) {
                return Optional.of(new Invoke(InvocationTarget.of(function.get())));
            }
            if (n == 5 && parts[3].equals("versions")) {
                Optional<UUID> version = uuid(parts[4]);
                return Optional.of(version.<Match>map(v -> new Invoke(InvocationTarget.of(function.get(), v)))
                        .orElseGet(() -> malformed("version id", parts[4])));
            }
            return Optional.of(malformed("path", rawPath));
        }
        return Optional.empty();
    }

    private static Malformed malformed(String what, String value) {
        return new Malformed("Not a valid " + what + " in an NVCF invocation path: " + value);
    }

    private static Optional<UUID> uuid(String s) {
        if (s.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the request is a CORS preflight (answered without a key: browsers send none on one). */
    static boolean preflight(ServerRequest req) {
        return req.prologue().method() == Method.OPTIONS && req.headers().contains(HeaderNames.ORIGIN)
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** Answers a preflight: whatever the browser asks for is allowed, for a day. */
    static void answerPreflight(ServerRequest req, ServerResponse res) {
        cors(req, res);
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS,
                req.headers().get(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD).get());
        req.headers().first(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS).filter(HeaderPolicy::safeValue)
                .ifPresent(h -> res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, h));
        res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        res.status(Status.OK_200);
        res.send();
    }

    /** The CORS headers of every answer on a path route: the origin mirrored, credentials allowed. */
    static void cors(ServerRequest req, ServerResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN).filter(HeaderPolicy::safeValue);
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.orElse("*"));
        if (origin.isPresent()) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            res.header(HeaderNames.VARY, "Origin");
        }
    }
}
