package io.fngate.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The management API (NVCF paths under {@code /v2/nvcf}): functions, versions, deployments and instance
 * registration, behind bearer admin keys. Every error is a problem+json from {@link ManagementError}.
 * <p>
 * Not responsible for the rules of a change (the registry core decides) nor for JSON shapes (see
 * {@link Views} and {@link Requests}); this class maps HTTP to both.
 */
final class ManagementService implements HttpService {
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(ManagementService.class.getName());
    private static final String FUNCTIONS = "/functions";
    private static final String VERSIONS = FUNCTIONS + "/{functionId}/versions";
    private static final String VERSION = VERSIONS + "/{versionId}";
    private static final String DEPLOYMENT = "/deployments/functions/{functionId}/versions/{versionId}";
    private static final String INSTANCES = DEPLOYMENT + "/instances";
    private static final String INSTANCE = INSTANCES + "/{instanceId}";

    private final RegistryCore core;
    private final Views views;
    private final AdminKeys keys;

    ManagementService(RegistryCore core, Views views, AdminKeys keys) {
        this.core = core;
        this.views = views;
        this.keys = keys;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::authenticate)
                .post(FUNCTIONS, guarded(this::createFunction))
                .get(FUNCTIONS, guarded(this::listFunctions))
                .any(FUNCTIONS, notAllowed("GET, POST"))
                .post(VERSIONS, guarded(this::createVersion))
                .get(VERSIONS, guarded(this::listVersions))
                .any(VERSIONS, notAllowed("GET, POST"))
                .get(VERSION, guarded(this::getVersion))
                .delete(VERSION, guarded(this::deleteVersion))
                .any(VERSION, notAllowed("GET, DELETE"))
                .post(DEPLOYMENT, guarded((req, res) -> deploy(req, res, false)))
                .put(DEPLOYMENT, guarded((req, res) -> deploy(req, res, true)))
                .get(DEPLOYMENT, guarded(this::getDeployment))
                .delete(DEPLOYMENT, guarded(this::deleteDeployment))
                .any(DEPLOYMENT, notAllowed("GET, POST, PUT, DELETE"))
                .post(INSTANCES, guarded(this::register))
                .any(INSTANCES, notAllowed("POST"))
                .put(INSTANCE, guarded(this::heartbeat))
                .delete(INSTANCE, guarded(this::deregister))
                .any(INSTANCE, notAllowed("PUT, DELETE"))
                .any(guarded((req, res) -> {
                    throw new ManagementException(ManagementError.ROUTE_NOT_FOUND,
                            "No management endpoint " + req.prologue().method().text() + " " + path(req) + ".");
                }));
    }

    private void authenticate(ServerRequest req, ServerResponse res) {
        AdminKeys.Check check = keys.check(req.headers().first(HeaderNames.AUTHORIZATION));
        switch (check) {
        case ALLOWED -> res.next();
        case MISSING -> ProblemResponses.send(res, ManagementError.MISSING_CREDENTIALS,
                "The management API needs Authorization: Bearer <admin key>.", path(req));
        case DENIED -> ProblemResponses.send(res, ManagementError.INVALID_CREDENTIALS, keys.configured()
                ? "The bearer key is not an admin key."
                : "The management API is disabled: no admin key is configured (registry.admin-keys, "
                        + "registry.admin-keys-file or " + AdminKeys.ENV + ").", path(req));
        }
    }

    private void createFunction(ServerRequest req, ServerResponse res) {
        FunctionSpec f = core.createFunction(Requests.function(body(req), true));
        VersionSpec v = f.versions().getFirst();
        created(res, "/v2/nvcf/functions/" + f.id() + "/versions/" + v.id(), views.function(core.state(), f, v));
    }

    private void listFunctions(ServerRequest req, ServerResponse res) {
        RegistryState s = core.state();
        json(res, Status.OK_200, views.functions(s, List.copyOf(s.functions().values())));
    }

    private void createVersion(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        VersionSpec v = core.addVersion(fid, Requests.function(body(req), false));
        RegistryState s = core.state();
        created(res, "/v2/nvcf/functions/" + fid + "/versions/" + v.id(), views.function(s, function(s, fid), v));
    }

    private void listVersions(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        RegistryState s = core.state();
        json(res, Status.OK_200, views.functions(s, List.of(function(s, fid))));
    }

    private void getVersion(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        RegistryState s = core.state();
        FunctionSpec f = function(s, fid);
        json(res, Status.OK_200, views.function(s, f, Lookups.version(f, vid)));
    }

    private void deleteVersion(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        boolean force = flag(req, "force");
        core.deleteVersion(fid, vid, force);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void deploy(ServerRequest req, ServerResponse res, boolean replace) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        core.deploy(fid, vid, Requests.deployment(body(req)), replace);
        RegistryState s = core.state();
        FunctionSpec f = function(s, fid);
        JsonObject body = views.deployment(s, f, Lookups.version(f, vid));
        if (replace) {
            json(res, Status.OK_200, body);
        } else {
            created(res, "/v2/nvcf/deployments/functions/" + fid + "/versions/" + vid, body);
        }
    }

    private void getDeployment(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        RegistryState s = core.state();
        FunctionSpec f = function(s, fid);
        json(res, Status.OK_200, views.deployment(s, f, Lookups.version(f, vid)));
    }

    private void deleteDeployment(ServerRequest req, ServerResponse res) {
        core.undeploy(id(req, "functionId"), id(req, "versionId"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void register(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        RegistryCore.Registration r = core.register(fid, vid, Requests.registration(body(req)));
        RegistryState s = core.state();
        JsonObject body = views.instanceEnvelope(s, Lookups.version(function(s, fid), vid), r.instance());
        if (r.created()) {
            created(res, "/v2/nvcf/deployments/functions/" + fid + "/versions/" + vid + "/instances/"
                    + r.instance().id(), body);
        } else {
            json(res, Status.OK_200, body);
        }
    }

    private void heartbeat(ServerRequest req, ServerResponse res) {
        content(req); // a heartbeat carries nothing; a body, when sent anyway, must still be JSON
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        InstanceSpec i = core.heartbeat(fid, vid, id(req, "instanceId"));
        RegistryState s = core.state();
        json(res, Status.OK_200, views.instanceEnvelope(s, Lookups.version(function(s, fid), vid), i));
    }

    private void deregister(ServerRequest req, ServerResponse res) {
        core.deregister(id(req, "functionId"), id(req, "versionId"), id(req, "instanceId"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private static FunctionSpec function(RegistryState s, UUID id) {
        return s.function(id).orElseThrow(() -> Lookups.functionNotFound(id));
    }

    private static UUID id(ServerRequest req, String name) {
        return Fields.parseUuid(req.path().pathParameters().get(name), name);
    }

    private static boolean flag(ServerRequest req, String name) {
        String value = req.query().first(name).orElse("false");
        return switch (value) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + ": " + value + " (expected: true or false)");
        };
    }

    /** The request body as one JSON value (see {@link #content}); a body is required. */
    private static JsonValue body(ServerRequest req) {
        byte[] bytes = content(req);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("body: missing (expected: a JSON object)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("body: not UTF-8");
        }
        try {
            return JsonText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("body: " + e.getMessage());
        }
    }

    /**
     * The request body's bytes, empty when there is none, at most {@link #MAX_BODY_BYTES}. A body that is there
     * must be declared as JSON (see {@link #requireJson}): a declared other type is refused before the body is
     * read, a body without a Content-Type once it is known not to be empty.
     */
    private static byte[] content(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        List<String> types = req.headers().all(HeaderNames.CONTENT_TYPE, List::of);
        if (types.size() > 1) {
            throw new ManagementException(ManagementError.UNSUPPORTED_MEDIA_TYPE,
                    "The request has " + types.size() + " Content-Type headers (expected: one, application/json).");
        }
        Optional<String> type = types.stream().findFirst();
        type.ifPresent(ManagementService::requireJson);
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("body: could not be read (" + e.getMessage() + ")");
        } catch (DataReader.InsufficientDataAvailableException e) {
            // the client closed the connection before its declared body was complete
            throw new IllegalArgumentException("body: ended before it was complete");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ManagementException(ManagementError.BODY_TOO_LARGE, "The request body exceeds "
                    + MAX_BODY_BYTES + " bytes.");
        }
        if (bytes.length > 0 && type.isEmpty()) {
            throw new ManagementException(ManagementError.UNSUPPORTED_MEDIA_TYPE,
                    "The request body has no Content-Type (expected: application/json).");
        }
        return bytes;
    }

    /**
     * Accepts {@code application/json} and {@code application/<anything>+json}, with parameters; a charset, when
     * named, must be UTF-8 (the only encoding JSON has, RFC 8259).
     */
    private static void requireJson(String contentType) {
        String[] parts = contentType.split(";", -1);
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        String subtype = type.startsWith("application/") ? type.substring("application/".length()) : "";
        boolean json = subtype.equals("json")
                || subtype.length() > "+json".length() && subtype.endsWith("+json") && subtype.indexOf('/') < 0;
        if (!json) {
            throw new ManagementException(ManagementError.UNSUPPORTED_MEDIA_TYPE, "Content-Type "
                    + (type.isEmpty() ? "names no media type" : shorten(type) + " is not JSON")
                    + " (expected: application/json).");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset = parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    throw new ManagementException(ManagementError.UNSUPPORTED_MEDIA_TYPE, "Content-Type charset "
                            + shorten(charset) + " is not supported (expected: utf-8).");
                }
            }
        }
    }

    private static String shorten(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }

    private static void json(ServerResponse res, Status status, JsonObject body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void created(ServerResponse res, String location, JsonObject body) {
        res.header(HeaderNames.LOCATION, location);
        json(res, Status.CREATED_201, body);
    }

    private static String path(ServerRequest req) {
        return req.prologue().uriPath().rawPath();
    }

    private static Handler notAllowed(String allow) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allow);
            ProblemResponses.send(res, ManagementError.METHOD_NOT_ALLOWED, req.prologue().method().text()
                    + " is not allowed here (allowed: " + allow + ").", path(req));
        };
    }

    /** A management endpoint; failures are thrown and mapped by {@link #guarded}. */
    @FunctionalInterface
    private interface Operation {
        void run(ServerRequest req, ServerResponse res);
    }

    /** Runs an operation and turns every failure into a problem response; internals never reach the client. */
    private static Handler guarded(Operation operation) {
        return (req, res) -> {
            try {
                operation.run(req, res);
            } catch (ManagementException e) {
                ProblemResponses.send(res, e.error(), e.detail(), path(req));
            } catch (IllegalArgumentException e) {
                ProblemResponses.send(res, ManagementError.INVALID_REQUEST, e.getMessage(), path(req));
            } catch (RequestException | HttpException e) {
                throw e;
            } catch (RuntimeException e) {
                // one line whatever the cause: a stack trace per request would let any client flood the log
                LOG.warning("management request " + req.prologue().method().text() + " " + shorten(path(req))
                        + " failed (answered 500): " + summary(e) + "; the stack trace is logged at FINE");
                LOG.log(Level.FINE, "management request " + path(req) + " failed", e);
                ProblemResponses.send(res, ManagementError.INTERNAL, "The registry could not complete the request.",
                        path(req));
            }
        };
    }

    /** An exception in one bounded line: its type, message and where it was thrown. */
    private static String summary(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + shorten(e.getMessage().replaceAll("\\s+", " "));
        StackTraceElement[] trace = e.getStackTrace();
        return e.getClass().getName() + message + (trace.length == 0 ? "" : " at " + trace[0]);
    }
}
