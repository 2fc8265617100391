package io.fngate.server;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.KeyStore;
import io.fngate.edge.Edge;
import io.fngate.edge.EdgeListener;
import io.fngate.edge.EdgeSettings;
import io.fngate.invocation.InvocationHandler;
import io.fngate.invocation.InvocationSettings;
import io.fngate.invocation.InvocationListener;
import io.fngate.management.ManagementApi;
import io.fngate.observability.AccessLog;
import io.fngate.observability.GatewayMetrics;
import io.fngate.observability.ObservabilityListener;
import io.fngate.observability.ObservabilitySettings;
import io.fngate.tracing.OtlpTracing;
import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.Registry;
import io.fngate.routing.Dispatcher;
import io.fngate.routing.Router;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/**
 * A running gateway: the public (invocation) socket and the admin socket, each its own server so that one can
 * stop or be restarted without the other.
 * <p>
 * Public socket: every request is an invocation ({@code GET /health} answers when no function is named),
 * HTTP/1.1 and HTTP/2 (h2c by prior knowledge or Upgrade). Admin socket: {@code /metrics}, {@code /health/live},
 * {@code /health/ready} and, with a {@link FunctionRegistry}, the management API under {@code /v2/nvcf}. Each is
 * kept alive by a {@link GuardedServer}. {@link #shutdown(Duration)} drains gracefully.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
    private static final String PLAIN = "plain";
    /** Helidon's own grace beyond ours: the gateway ends what runs late itself, with its own outcome. */
    private static final Duration HELIDON_EXTRA_GRACE = Duration.ofSeconds(5);
    /**
     * No buffer of Helidon's in front of an HTTP/1.1 response body (its default is 4 KiB, made for every response
     * and held as long as an event stream stays open). The relay already writes what it read in one piece and
     * flushes when the upstream has nothing more ready; a second buffer only added a copy.
     */
    private static final int RESPONSE_BUFFER = 0;

    private final GuardedServer publicSocket;
    private final GuardedServer admin;
    private final InvocationHandler handler;
    private final Dispatcher dispatcher;
    private final Optional<FunctionRegistry> owned;
    private final Optional<AccessLog> accessLog;
    private final Optional<OtlpTracing> tracing;
    private final Duration grace;
    private final ApiKeys keys;
    private final Edge edge;
    private java.util.List<TlsFiles> tls = java.util.List.of();
    private volatile boolean stopped;

    private Gateway(GuardedServer publicSocket, GuardedServer admin, InvocationHandler handler, Dispatcher dispatcher,
                    Optional<FunctionRegistry> owned, Optional<AccessLog> accessLog, Optional<OtlpTracing> tracing,
                    Duration grace, ApiKeys keys, Edge edge) {
        this.keys = keys;
        this.edge = edge;
        this.publicSocket = publicSocket;
        this.admin = admin;
        this.handler = handler;
        this.dispatcher = dispatcher;
        this.owned = owned;
        this.accessLog = accessLog;
        this.tracing = tracing;
        this.grace = grace;
    }

    /**
     * Starts a gateway with a managed registry: the functions declared under {@code functions} (read-only) plus
     * those kept in the registry store ({@code registry.*} keys), with the management API on the admin socket.
     *
     * @param root configuration root
     * @return the started gateway; closing it closes the registry
     * @throws IllegalArgumentException naming the key when the configuration is invalid
     * @throws io.fngate.registry.RegistryStoreException naming the file when the store cannot be opened or read
     */
    public static Gateway start(Config root) {
        return startOwning(root, registry(root).build());
    }

    /**
     * A registry as configured under {@code registry} and {@code functions}, whose health checks trust the
     * certificates invocations to {@code https://} instances trust.
     */
    static FunctionRegistry.Builder registry(Config root) {
        return FunctionRegistry.builder()
                .config(root.get("registry"))
                .functions(root.get("functions"))
                .defaultMaxRequestConcurrency(FunctionRegistry.defaultConcurrency(root))
                .healthCheckTls(GatewaySettings.upstreamTls(root.get("invocation"))::context);
    }

    /**
     * Starts a gateway over the given registry, which stays the caller's to close. When it is a
     * {@link FunctionRegistry}, its management API is served on the admin socket under {@code /v2/nvcf}.
     *
     * @param root     configuration root (sockets, invocation settings)
     * @param registry functions to serve
     * @return the started gateway
     */
    public static Gateway start(Config root, Registry registry) {
        return start(root, registry, Optional.empty(), System.getenv());
    }

    /** Starts a gateway that closes the registry when it is closed (or when starting fails). */
    static Gateway startOwning(Config root, FunctionRegistry registry) {
        return startOwning(root, registry, System.getenv());
    }

    /**
     * Starts a gateway that closes the registry when it is closed (or when starting fails).
     *
     * @param environment environment variables ({@code FNGATE_ADMIN_KEY})
     */
    static Gateway startOwning(Config root, FunctionRegistry registry, java.util.Map<String, String> environment) {
        try {
            return start(root, registry, Optional.of(registry), environment);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /**
     * Results answered 202 go under the registry's data directory unless {@code invocation.async.results-dir}
     * says otherwise: that directory is this process's alone while it runs.
     */
    private static InvocationSettings withResultsDirectory(InvocationSettings settings, Registry registry) {
        io.fngate.invocation.AsyncSettings async = settings.async();
        if (async.resultsDirectory().isPresent() || !(registry instanceof FunctionRegistry managed)
                || managed.dataDirectory().isEmpty()) {
            return settings;
        }
        return settings.withAsync(new io.fngate.invocation.AsyncSettings(
                Optional.of(managed.dataDirectory().get().resolve("results")), async.memoryBudget(),
                async.spillThreshold(), async.maxResultSize(), async.unpolledTimeout()));
    }

    private static Gateway start(Config root, Registry registry, Optional<FunctionRegistry> owned,
                                 java.util.Map<String, String> environment) {
        Objects.requireNonNull(registry, "registry");
        GatewaySettings settings = GatewaySettings.from(root);
        ApiKeys keys = ApiKeys.create(root, environment, registry instanceof FunctionRegistry managed
                ? keyStore(managed.collection("keys")) : KeyStore.memory());
        ObservabilitySettings observability = ObservabilitySettings.create(root.get("observability"));
        Dispatcher dispatcher = Dispatcher.create(registry, settings.dispatch(), java.time.Clock.systemUTC());
        GatewayMetrics metrics = GatewayMetrics.create(registry, dispatcher);
        Optional<AccessLog> accessLog;
        Optional<OtlpTracing> tracing;
        try {
            accessLog = observability.accessLog().kind() == ObservabilitySettings.Target.Kind.OFF ? Optional.empty()
                    : Optional.of(AccessLog.create(observability.accessLog(), observability.accessLogQueue()));
        } catch (RuntimeException e) {
            dispatcher.close();
            throw e;
        }
        try {
            tracing = OtlpTracing.create(root.get("observability.tracing"));
        } catch (RuntimeException e) {
            dispatcher.close();
            accessLog.ifPresent(AccessLog::close);
            throw e;
        }
        InvocationListener listeners = ObservabilityListener.create(
                observability.metrics() ? Optional.of(metrics) : Optional.empty(), accessLog,
                tracing.map(t -> t));
        if (registry instanceof FunctionRegistry managed) {
            managed.instanceLoad(dispatcher);
        }
        InvocationHandler handler = InvocationHandler.builder()
                .router(Router.create(registry, settings.domains()))
                .dispatcher(dispatcher)
                .keys(keys)
                .settings(withResultsDirectory(settings.invocation(), registry))
                .listener(listeners)
                .build();
        metrics.gauge("fngate_async_results_pending", "Invocations answered 202 whose result was not delivered yet.",
                handler::pendingResults);
        metrics.gauge("fngate_async_result_memory_bytes", "Bytes of pending results' bodies held in memory.",
                handler::pendingResultBytesInMemory);
        metrics.gauge("fngate_upstream_connections_open", "Upstream connections open (in use or idle).",
                handler::openUpstreamConnections);
        metrics.gauge("fngate_upstream_connections_idle", "Upstream keep-alive connections idle in the pool.",
                handler::idleUpstreamConnections);
        accessLog.ifPresent(log -> metrics.counter("fngate_access_log_dropped",
                "Access-log lines dropped because the writer fell behind.", log::dropped));
        Optional<TlsFiles> publicTls = TlsFiles.create("public", root.get("server.tls"));
        Optional<TlsFiles> adminTls = TlsFiles.create("admin", root.get("admin.tls"));
        int plainPort = root.get("server.plain-port").asInt().orElse(-1);
        // every public connection goes through the edge: strict HTTP, HTTP/1.0, head and idle timeouts, a
        // Connection: close that closes, problem+json for whatever Helidon answers by itself
        // the requests the edge or Helidon answer before the handler: in the access log and metrics like the rest
        boolean countEdge = observability.metrics();
        EdgeListener edgeAnswers = answer -> {
            if (countEdge) {
                metrics.answered(answer);
            }
            accessLog.ifPresent(log -> log.answered(answer));
        };
        Edge edge = Edge.create(EdgeSettings.create(root.get("server.edge")), edgeAnswers,
                java.time.Clock.systemUTC());
        GuardedServer publicSocket;
        try {
            publicSocket = GuardedServer.start("public", port -> {
                var b = WebServer.builder()
                        .shutdownHook(false) // the gateway drains itself (Main)
                        .host(settings.host())
                        .port(port)
                        // TCP_NODELAY: without it, h2c requests wait ~40 ms on delayed ACKs (helidon-notes item 1)
                        .connectionOptions(o -> o.tcpNoDelay(true))
                        .writeBufferSize(RESPONSE_BUFFER)
                        .maxTcpConnections(settings.maxTcpConnections())
                        .maxConcurrentRequests(settings.maxConcurrentRequests())
                        .shutdownGracePeriod(settings.shutdownGrace().plus(HELIDON_EXTRA_GRACE))
                        .routing(r -> r.any(handler));
                // the certificate in force now: a restarted socket must not go back to the first one
                publicTls.ifPresent(t -> b.tls(t.current()));
                edge.applyTo(b); // last: it reads the listener's protocol settings
                if (publicTls.isPresent() && plainPort >= 0) {
                    // cleartext beside TLS (HTTP/1.1 and h2c), e.g. for callers inside the cluster
                    b.putSocket(PLAIN, s -> s.host(settings.host()).port(plainPort)
                            .connectionOptions(o -> o.tcpNoDelay(true))
                            .writeBufferSize(RESPONSE_BUFFER)
                            .maxTcpConnections(settings.maxTcpConnections())
                            .maxConcurrentRequests(settings.maxConcurrentRequests())
                            .shutdownGracePeriod(settings.shutdownGrace().plus(HELIDON_EXTRA_GRACE))
                            .routing(r -> r.any(handler))
                            .update(edge::applyTo));
                }
                return b.build();
            }, settings.host(), settings.publicPort());
        } catch (RuntimeException e) {
            edge.close();
            handler.close();
            dispatcher.close();
            accessLog.ifPresent(AccessLog::close);
            tracing.ifPresent(OtlpTracing::close);
            throw e;
        }
        Gateway[] self = new Gateway[1];
        GuardedServer admin;
        try {
            admin = GuardedServer.start("admin", port -> WebServer.builder()
                    .shutdownHook(false)
                    .host(settings.adminHost())
                    .port(port)
                    .connectionOptions(o -> o.tcpNoDelay(true))
                    .directHandlers(Edge.directHandlers()) // Helidon's own answers as problem+json here too
                    .update(b -> adminTls.ifPresent(t -> b.tls(t.current())))
                    .routing(r -> {
                        r.get("/metrics", metrics)
                                .get("/health/live", (req, res) -> res.send("{\"status\":\"UP\"}"))
                                .get("/health/ready", (req, res) -> {
                                    String why = self[0] == null ? "starting" : self[0].notReadyBecause();
                                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                                    if (why.isEmpty()) {
                                        res.send("{\"status\":\"UP\"}");
                                    } else {
                                        res.status(Status.SERVICE_UNAVAILABLE_503)
                                                .send("{\"status\":\"DOWN\",\"reason\":\"" + why + "\"}");
                                    }
                                });
                        if (registry instanceof FunctionRegistry managed) {
                            ManagementApi.create(managed, keys).register(r);
                        }
                    })
                    .build(), settings.adminHost(), settings.adminPort());
        } catch (RuntimeException e) {
            publicSocket.close();
            edge.close();
            handler.close();
            dispatcher.close();
            accessLog.ifPresent(AccessLog::close);
            tracing.ifPresent(OtlpTracing::close);
            throw e;
        }
        Gateway gateway = new Gateway(publicSocket, admin, handler, dispatcher, owned, accessLog, tracing,
                settings.shutdownGrace(), keys, edge);
        self[0] = gateway;
        publicTls.ifPresent(t -> t.watch(tls -> publicSocket.server().reloadTls(tls)));
        adminTls.ifPresent(t -> t.watch(tls -> admin.server().reloadTls(tls)));
        gateway.tls = java.util.stream.Stream.of(publicTls, adminTls).flatMap(Optional::stream).toList();
        LOG.info("fngate listening: invocation on " + settings.host() + ":" + gateway.publicPort()
                + ", admin on " + settings.adminHost() + ":" + gateway.adminPort()
                + ", " + registry.functions().size() + " function(s)"
                + ", at most " + settings.maxTcpConnections() + " client connections");
        return gateway;
    }

    /** The registry's {@code keys} collection, as the auth module's store of API-made keys. */
    private static KeyStore keyStore(io.fngate.registry.RegistryStore collection) {
        return new KeyStore() {
            @Override
            public java.util.Map<java.util.UUID, jakarta.json.JsonObject> load() {
                return collection.load();
            }

            @Override
            public void put(java.util.UUID id, jakarta.json.JsonObject document) {
                collection.put(id, document);
            }

            @Override
            public void delete(java.util.UUID id) {
                collection.delete(id);
            }
        };
    }

    /** Why the gateway should not get traffic now; empty when it should. */
    private String notReadyBecause() {
        if (handler.draining()) {
            return "draining";
        }
        if (!publicSocket.up()) {
            return "public socket down";
        }
        if (!admin.up()) {
            return "admin socket down";
        }
        return "";
    }

    /**
     * @return whether the gateway takes traffic: its public socket accepts and it is not draining
     */
    public boolean ready() {
        return notReadyBecause().isEmpty();
    }

    /**
     * @return the bound invocation port
     */
    public int publicPort() {
        return publicSocket.port();
    }

    /**
     * @return the cleartext port beside a TLS public socket ({@code server.plain-port}), when there is one
     */
    public Optional<Integer> plainPort() {
        WebServer s = publicSocket.server();
        return s.hasTls() && s.port(PLAIN) > 0 ? Optional.of(s.port(PLAIN)) : Optional.empty();
    }

    /**
     * @return the bound admin port
     */
    public int adminPort() {
        return admin.port();
    }

    /**
     * @return upstream connections open now (in use or idle)
     */
    public int openUpstreamConnections() {
        return handler.openUpstreamConnections();
    }

    /**
     * @return the dispatcher (in-flight and queued counts, for tests and metrics)
     */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * @return the gateway's API keys
     */
    public ApiKeys keys() {
        return keys;
    }

    /**
     * @return requests being handled now
     */
    public int inFlight() {
        return handler.inFlight();
    }

    /**
     * Drains and stops, as on SIGTERM: readiness turns false at once; the public socket takes no new
     * connection; requests in flight, streams included, run to completion within {@code grace} (HTTP/1.1 answers
     * carry {@code Connection: close}); what still runs then is aborted upstream, answered or cut, and recorded
     * with outcome {@code SHUTDOWN}. Then the admin socket, the dispatcher and an owned registry stop.
     *
     * @param grace how long requests in flight may take to finish
     */
    public void shutdown(Duration grace) {
        if (stopped) {
            return;
        }
        long t0 = System.nanoTime();
        handler.drain();
        edge.draining(true); // every HTTP/1.x answer from now on is the last on its connection, and closes it
        LOG.info("draining: " + handler.inFlight() + " request(s) in flight, grace period " + grace.toMillis() + " ms");
        Thread stopping = Thread.ofPlatform().name("fngate-stop-public").start(publicSocket::close);
        long end = t0 + grace.toNanos();
        while (handler.inFlight() > 0 && System.nanoTime() < end) {
            sleep(20);
        }
        if (handler.inFlight() > 0) {
            int aborted = handler.abortAll();
            LOG.warning("grace period over: aborted " + aborted + " request(s) still in flight");
            long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (handler.inFlight() > 0 && System.nanoTime() < hard) {
                sleep(20);
            }
        }
        try {
            stopping.join(HELIDON_EXTRA_GRACE.plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("drained in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        close();
    }

    /**
     * @return the shutdown grace period configured ({@code server.shutdown-grace-period})
     */
    public Duration gracePeriod() {
        return grace;
    }

    /**
     * Stops both sockets at once (without draining), closes idle upstream connections and, when the gateway
     * opened its registry, the registry (health checks, store).
     */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        tls.forEach(TlsFiles::close);
        publicSocket.close();
        admin.close();
        edge.close();
        handler.close();
        dispatcher.close();
        accessLog.ifPresent(AccessLog::close); // after the sockets: every finished request's line is written
        tracing.ifPresent(OtlpTracing::close); // and every sampled request's span is sent
        owned.ifPresent(FunctionRegistry::close);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
