package io.fngate.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.AuthResult;
import io.fngate.auth.Caller;
import io.fngate.auth.Rejection;
import io.fngate.auth.Scope;
import io.fngate.registry.DeploymentSpec;
import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.FunctionSpec;
import io.fngate.registry.Fields;
import io.fngate.registry.InstanceSpec;
import io.fngate.registry.JsonText;
import io.fngate.registry.Registration;
import io.fngate.registry.RegistryException;
import io.fngate.registry.RegistrySnapshot;
import io.fngate.registry.RegistryStoreException;
import io.fngate.registry.VersionSpec;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
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
 * The management API's routes under {@code /v2/nvcf}: each authenticates its caller by bearer key (401), checks the
 * route's scope (403), maps HTTP to the registry's drafts and change methods, and answers NVCF's JSON. Every error
 * is a problem+json from {@link ManagementError}; every response carries the request's {@code nvcf-reqid}.
 * <p>
 * Not responsible for the rules of a change (the registry decides) nor for JSON shapes (see {@link Views} and
 * {@link Requests}); this class maps HTTP to both.
 */
final class ManagementService implements HttpService {
    static final String PREFIX = "/v2/nvcf";
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(ManagementService.class.getName());
    private static final String FUNCTIONS = "/functions";
    private static final String FUNCTION_IDS = FUNCTIONS + "/ids";
    private static final String VERSIONS = FUNCTIONS + "/{functionId}/versions";
    private static final String VERSION = VERSIONS + "/{versionId}";
    private static final String METADATA = "/metadata/functions/{functionId}/versions/{versionId}";
    private static final String DEPLOYMENT = "/deployments/functions/{functionId}/versions/{versionId}";
    private static final String INSTANCES = DEPLOYMENT + "/instances";
    private static final String INSTANCE = INSTANCES + "/{instanceId}";
    private static final String KEYS = "/keys";
    private static final String KEY = KEYS + "/{keyId}";
    private static final Set<Scope> LIST = EnumSet.of(Scope.LIST_FUNCTIONS, Scope.LIST_FUNCTIONS_DETAILS);
    private static final Set<Scope> DETAILS = EnumSet.of(Scope.LIST_FUNCTIONS_DETAILS);
    private static final Set<Scope> REGISTER = EnumSet.of(Scope.REGISTER_FUNCTION);
    private static final Set<Scope> UPDATE = EnumSet.of(Scope.UPDATE_FUNCTION);
    private static final Set<Scope> MANAGE_KEYS = EnumSet.of(Scope.MANAGE_KEYS);
    private static final Set<String> VISIBILITIES = Set.of("authorized", "private", "public");
    private static final Set<Scope> DELETE = EnumSet.of(Scope.DELETE_FUNCTION);
    private static final Set<Scope> DEPLOY = EnumSet.of(Scope.DEPLOY_FUNCTION);
    private static final Set<Scope> READ_DEPLOYMENT = EnumSet.of(Scope.LIST_FUNCTIONS_DETAILS, Scope.DEPLOY_FUNCTION);
    private static final List<String> METHOD_ORDER = List.of("GET", "POST", "PUT", "DELETE");
    /** Request context keys. */
    private static final Object REQUEST_ID = new Object();
    private static final Object CALLER = new Object();

    private final FunctionRegistry registry;
    private final Views views = new Views();
    private final ApiKeys keys;
    private final List<Endpoint> endpoints = new ArrayList<>();

    ManagementService(FunctionRegistry registry, ApiKeys keys) {
        this.registry = registry;
        this.keys = keys;
        endpoint(Method.POST, FUNCTIONS, REGISTER, this::createFunction);
        endpoint(Method.GET, FUNCTIONS, LIST, this::listFunctions);
        endpoint(Method.GET, FUNCTION_IDS, LIST, this::listFunctionIds);
        endpoint(Method.POST, VERSIONS, REGISTER, this::createVersion);
        endpoint(Method.GET, VERSIONS, LIST, this::listVersions);
        endpoint(Method.GET, VERSION, DETAILS, this::getVersion);
        endpoint(Method.PUT, VERSION, UPDATE, this::updateVersion);
        endpoint(Method.DELETE, VERSION, DELETE, this::deleteVersion);
        endpoint(Method.PUT, METADATA, UPDATE, this::updateVersion);
        endpoint(Method.POST, DEPLOYMENT, DEPLOY, (req, res) -> deploy(req, res, false));
        endpoint(Method.PUT, DEPLOYMENT, DEPLOY, (req, res) -> deploy(req, res, true));
        endpoint(Method.GET, DEPLOYMENT, READ_DEPLOYMENT, this::getDeployment);
        endpoint(Method.DELETE, DEPLOYMENT, DEPLOY, this::deleteDeployment);
        endpoint(Method.POST, INSTANCES, DEPLOY, this::register);
        endpoint(Method.PUT, INSTANCE, DEPLOY, this::heartbeat);
        endpoint(Method.DELETE, INSTANCE, DEPLOY, this::deregister);
        endpoint(Method.POST, KEYS, MANAGE_KEYS, this::createKey);
        endpoint(Method.GET, KEYS, MANAGE_KEYS, this::listKeys);
        endpoint(Method.DELETE, KEY, MANAGE_KEYS, this::revokeKey);
    }

    /** One route: method, path under {@link #PREFIX}, the scopes that may call it, and what it does. */
    private record Endpoint(Method method, String path, Set<Scope> scopes, Operation operation) {
    }

    /** A management endpoint; failures are thrown and mapped by {@link #guarded}. */
    @FunctionalInterface
    private interface Operation {
        void run(ServerRequest req, ServerResponse res);
    }

    private void endpoint(Method method, String path, Set<Scope> scopes, Operation operation) {
        endpoints.add(new Endpoint(method, path, scopes, operation));
    }

    List<ManagementApi.Route> routes() {
        return endpoints.stream()
                .map(e -> new ManagementApi.Route(e.method().text(), PREFIX + e.path(), e.scopes()))
                .toList();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::authenticate);
        Map<String, List<Endpoint>> byPath = new LinkedHashMap<>();
        endpoints.forEach(e -> byPath.computeIfAbsent(e.path(), p -> new ArrayList<>()).add(e));
        byPath.forEach((path, list) -> {
            for (Endpoint e : list) {
                rules.route(e.method(), path, guarded((req, res) -> {
                    authorize(req, e);
                    e.operation().run(req, res);
                }));
            }
            rules.any(path, notAllowed(list.stream().map(e -> e.method().text()).distinct()
                    .sorted(Comparator.comparingInt(METHOD_ORDER::indexOf)).collect(Collectors.joining(", "))));
        });
        rules.any(guarded((req, res) -> {
            throw new ManagementException(ManagementError.ROUTE_NOT_FOUND,
                    "No management endpoint " + req.prologue().method().text() + " " + shorten(path(req)) + ".");
        }));
    }

    /** Gives the request its id and lets only callers with a valid key on. */
    private void authenticate(ServerRequest req, ServerResponse res) {
        UUID requestId = UUID.randomUUID();
        req.context().register(REQUEST_ID, requestId);
        res.header(HeaderNames.create(Problems.REQUEST_ID_HEADER), requestId.toString());
        AuthResult result = keys.authenticate(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        if (result instanceof Caller caller) {
            req.context().register(CALLER, caller);
            res.next();
            return;
        }
        Rejection rejection = (Rejection) result;
        res.header(HeaderNames.WWW_AUTHENTICATE, rejection == Rejection.UNKNOWN
                ? "Bearer realm=\"fngate\", error=\"invalid_token\"" : "Bearer realm=\"fngate\"");
        String detail = switch (rejection) {
            case MISSING -> "The management API needs an Authorization: Bearer <key> header.";
            case MALFORMED -> "Authorization is not a bearer token (expected: Bearer <key>).";
            case UNKNOWN -> keys.configured() ? "The bearer key is not valid (unknown or revoked)."
                    : "No API key is configured, so the management API refuses every call (set auth.keys-file, "
                            + "auth.keys or " + ApiKeys.ENV + ").";
        };
        Problems.send(res, ManagementError.UNAUTHORIZED, detail, requestId);
    }

    private static Caller caller(ServerRequest req) {
        return req.context().get(CALLER, Caller.class).orElseThrow();
    }

    private static void authorize(ServerRequest req, Endpoint e) {
        Caller caller = caller(req);
        if (e.scopes().stream().noneMatch(caller::may)) {
            throw new ManagementException(ManagementError.FORBIDDEN, "The key may not call " + e.method().text() + " "
                    + PREFIX + e.path() + " (it needs the scope " + e.scopes().stream().map(Scope::wire).sorted()
                    .collect(Collectors.joining(" or ")) + ").");
        }
    }

    private void createFunction(ServerRequest req, ServerResponse res) {
        FunctionSpec f = registry.createFunction(Requests.function(body(req), true));
        json(res, Status.OK_200, views.function(registry.snapshot(), f, f.versions().getFirst(), true));
    }

    private void listFunctions(ServerRequest req, ServerResponse res) {
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.functions(s, visible(req, s.functions())));
    }

    private void listFunctionIds(ServerRequest req, ServerResponse res) {
        json(res, Status.OK_200, views.functionIds(visible(req, registry.snapshot().functions())));
    }

    /**
     * NVCF's {@code visibility} filter ({@code private} by default): every function of a gateway is its own, so
     * private; none is shared with it ({@code authorized}) or public.
     */
    private static List<FunctionSpec> visible(ServerRequest req, List<FunctionSpec> functions) {
        Set<String> asked = new java.util.HashSet<>();
        for (String value : req.query().all("visibility", List::of)) {
            for (String v : value.split(",", -1)) {
                String name = v.strip();
                if (!VISIBILITIES.contains(name)) {
                    throw new IllegalArgumentException("visibility: " + shorten(name)
                            + " (expected: authorized, private or public)");
                }
                asked.add(name);
            }
        }
        return asked.isEmpty() || asked.contains("private") ? functions : List.of();
    }

    private void createVersion(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        VersionSpec v = registry.addVersion(fid, Requests.function(body(req), false));
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.function(s, s.function(fid), v, true));
    }

    private void listVersions(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.functions(s, List.of(s.function(fid))));
    }

    private void getVersion(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        boolean secrets = flag(req, "includeSecrets", true);
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.function(s, s.function(fid), s.version(fid, vid), secrets));
    }

    private void updateVersion(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        VersionSpec v = registry.updateVersion(fid, vid, Requests.update(body(req)));
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.function(s, s.function(fid), v, true));
    }

    private void deleteVersion(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        boolean force = flag(req, "force", false);
        registry.deleteVersion(fid, vid, force);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void deploy(ServerRequest req, ServerResponse res, boolean replace) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        DeploymentSpec d = registry.deploy(fid, vid, Requests.deployment(body(req)), replace);
        if (d.instances().isEmpty()) {
            LOG.info("function " + fid + " version " + vid + " is deployed without any instance: it serves "
                    + "nothing until instances are listed in its deployment or register themselves");
        }
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.deployment(s, s.function(fid), s.version(fid, vid)));
    }

    private void getDeployment(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.deployment(s, s.function(fid), s.version(fid, vid)));
    }

    /** Undeploys; NVCF's {@code graceful} is accepted and always true here: instances drain. */
    private void deleteDeployment(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        flag(req, "graceful", true);
        registry.undeploy(fid, vid);
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.function(s, s.function(fid), s.version(fid, vid), true));
    }

    private void register(ServerRequest req, ServerResponse res) {
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        Registration r = registry.register(fid, vid, Requests.registration(body(req)));
        RegistrySnapshot s = registry.snapshot();
        JsonObject body = views.instanceEnvelope(s, s.version(fid, vid), r.instance());
        if (r.created()) {
            created(res, PREFIX + "/deployments/functions/" + fid + "/versions/" + vid + "/instances/"
                    + r.instance().id(), body);
        } else {
            json(res, Status.OK_200, body);
        }
    }

    private void heartbeat(ServerRequest req, ServerResponse res) {
        content(req); // a heartbeat carries nothing; a body, when sent anyway, must still be JSON
        UUID fid = id(req, "functionId");
        UUID vid = id(req, "versionId");
        InstanceSpec i = registry.heartbeat(fid, vid, id(req, "instanceId"));
        RegistrySnapshot s = registry.snapshot();
        json(res, Status.OK_200, views.instanceEnvelope(s, s.version(fid, vid), i));
    }

    private void deregister(ServerRequest req, ServerResponse res) {
        registry.deregister(id(req, "functionId"), id(req, "versionId"), id(req, "instanceId"));
        res.status(Status.NO_CONTENT_204).send();
    }

    /**
     * Makes a key. A caller may give only what it may do itself: scopes it has, and, when it may invoke only some
     * functions, a subset of those.
     */
    private void createKey(ServerRequest req, ServerResponse res) {
        Requests.KeyRequest asked = Requests.key(body(req));
        Caller caller = caller(req);
        Set<Scope> beyond = EnumSet.noneOf(Scope.class);
        asked.scopes().stream().filter(scope -> !caller.may(scope)).forEach(beyond::add);
        if (!beyond.isEmpty()) {
            throw new ManagementException(ManagementError.FORBIDDEN, "The key may not give scopes it does not have: "
                    + beyond.stream().map(Scope::wire).collect(Collectors.joining(", ")) + ".");
        }
        Optional<Set<UUID>> mine = caller.key().functions();
        if (mine.isPresent() && asked.scopes().contains(Scope.INVOKE_FUNCTION)
                && !asked.functions().map(mine.get()::containsAll).orElse(false)) {
            throw new ManagementException(ManagementError.FORBIDDEN, "The key may invoke only some functions, so "
                    + "the keys it makes must name functions among them.");
        }
        ApiKeys.Created created = store(() -> keys.create(asked.name(), asked.scopes(), asked.functions()));
        json(res, Status.OK_200, views.keyEnvelope(created.info(), Optional.of(created.key())));
    }

    private void listKeys(ServerRequest req, ServerResponse res) {
        json(res, Status.OK_200, views.keys(keys.list()));
    }

    private void revokeKey(ServerRequest req, ServerResponse res) {
        UUID id = id(req, "keyId");
        boolean revoked;
        try {
            revoked = store(() -> keys.revoke(id));
        } catch (IllegalStateException e) {
            throw new ManagementException(ManagementError.KEY_READ_ONLY, "Key " + id + " comes from the gateway's "
                    + "configuration: remove it there.");
        }
        if (!revoked) {
            throw new ManagementException(ManagementError.KEY_NOT_FOUND, "There is no key " + id + ".");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    /** Runs a change of the key store; a store that cannot write answers 500 {@code store-failure}. */
    private static <T> T store(java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (RegistryStoreException e) {
            LOG.log(Level.SEVERE, "key store write failed; the change was not applied", e);
            throw new ManagementException(ManagementError.STORE_FAILURE,
                    "The change could not be saved and was not applied; see the gateway log.");
        }
    }

    private static UUID id(ServerRequest req, String name) {
        return Fields.parseUuid(req.path().pathParameters().get(name), name);
    }

    private static boolean flag(ServerRequest req, String name, boolean fallback) {
        String value = req.query().first(name).orElse(String.valueOf(fallback));
        return switch (value) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + ": " + shorten(value) + " (expected: true or false)");
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

    /** 201 with the new resource's location: fngate's own routes (instances); NVCF's creations answer 200. */
    private static void created(ServerResponse res, String location, JsonObject body) {
        res.header(HeaderNames.LOCATION, location);
        json(res, Status.CREATED_201, body);
    }

    private static String path(ServerRequest req) {
        return req.prologue().uriPath().rawPath();
    }

    private static UUID requestId(ServerRequest req) {
        return req.context().get(REQUEST_ID, UUID.class).orElseGet(UUID::randomUUID);
    }

    private static Handler notAllowed(String allow) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allow);
            Problems.send(res, ManagementError.METHOD_NOT_ALLOWED, req.prologue().method().text()
                    + " is not allowed here (allowed: " + allow + ").", requestId(req));
        };
    }

    /** Runs an operation and turns every failure into a problem response; internals never reach the client. */
    private static Handler guarded(Operation operation) {
        return (req, res) -> {
            try {
                operation.run(req, res);
            } catch (ManagementException e) {
                Problems.send(res, e.error(), e.detail(), requestId(req));
            } catch (RegistryException e) {
                Problems.send(res, ManagementError.of(e.kind()), e.detail(), requestId(req));
            } catch (IllegalArgumentException e) {
                Problems.send(res, ManagementError.INVALID_REQUEST, e.getMessage(), requestId(req));
            } catch (RequestException | HttpException e) {
                throw e;
            } catch (RuntimeException e) {
                // one line whatever the cause: a stack trace per request would let any client flood the log
                LOG.warning("management request " + requestId(req) + " " + req.prologue().method().text() + " "
                        + shorten(path(req)) + " failed (answered 500): " + summary(e)
                        + "; the stack trace is logged at FINE");
                LOG.log(Level.FINE, "management request " + requestId(req) + " failed", e);
                Problems.send(res, ManagementError.INTERNAL, "The request could not be completed.", requestId(req));
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
