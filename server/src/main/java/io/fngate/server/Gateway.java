package io.fngate.server;

import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

import io.fngate.invocation.InvocationHandler;
import io.fngate.invocation.InvocationListener;
import io.fngate.observability.AccessLog;
import io.fngate.observability.GatewayMetrics;
import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.Registry;
import io.fngate.routing.Dispatcher;
import io.fngate.routing.Router;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;

/**
 * A running gateway: the public (invocation) socket and the admin socket.
 * <p>
 * Public socket: every request is an invocation ({@code GET /health} answers when no function is named),
 * HTTP/1.1 and HTTP/2 (h2c by prior knowledge or Upgrade). Admin socket: {@code /metrics},
 * {@code /health/live}, {@code /health/ready} and, with a {@link FunctionRegistry}, the management API under
 * {@code /v2/nvcf}.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
    private static final String ADMIN = "admin";

    private static final String MANAGEMENT_PATH = "/v2/nvcf";

    private final WebServer server;
    private final InvocationHandler handler;
    private final Dispatcher dispatcher;
    private final Optional<FunctionRegistry> owned;

    private Gateway(WebServer server, InvocationHandler handler, Dispatcher dispatcher,
                    Optional<FunctionRegistry> owned) {
        this.server = server;
        this.handler = handler;
        this.dispatcher = dispatcher;
        this.owned = owned;
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
        return startOwning(root, FunctionRegistry.create(root));
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
        return start(root, registry, Optional.empty());
    }

    /** Starts a gateway that closes the registry when it is closed (or when starting fails). */
    static Gateway startOwning(Config root, FunctionRegistry registry) {
        try {
            return start(root, registry, Optional.of(registry));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private static Gateway start(Config root, Registry registry, Optional<FunctionRegistry> owned) {
        Objects.requireNonNull(registry, "registry");
        GatewaySettings settings = GatewaySettings.from(root);
        GatewayMetrics metrics = GatewayMetrics.create();
        AccessLog accessLog = AccessLog.create();
        InvocationListener listeners = record -> {
            metrics.completed(record);
            accessLog.completed(record);
        };
        Dispatcher dispatcher = Dispatcher.create(registry, settings.dispatch(), java.time.Clock.systemUTC());
        if (registry instanceof FunctionRegistry managed) {
            managed.instanceLoad(dispatcher);
        }
        InvocationHandler handler = InvocationHandler.builder()
                .router(Router.create(registry, settings.domains()))
                .dispatcher(dispatcher)
                .settings(settings.invocation())
                .listener(listeners)
                .build();
        metrics.gauge("fngate_upstream_connections_open", "Upstream connections open (in use or idle).",
                handler::openUpstreamConnections);
        metrics.gauge("fngate_functions", "Registered functions.", () -> registry.functions().size());
        metrics.gauge("fngate_requests_in_flight", "Requests holding an instance slot.", dispatcher::inFlight);
        metrics.gauge("fngate_requests_queued", "Requests waiting for a free instance slot.", dispatcher::queued);
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.publicPort())
                // TCP_NODELAY: without it, h2c requests wait ~40 ms on delayed ACKs (helidon-notes item 1)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r.any(handler))
                .putSocket(ADMIN, s -> s
                        .host(settings.host())
                        .port(settings.adminPort())
                        .connectionOptions(o -> o.tcpNoDelay(true))
                        .routing(r -> {
                            r.get("/metrics", metrics)
                                    .get("/health/live", (req, res) -> res.send("{\"status\":\"UP\"}"))
                                    .get("/health/ready", (req, res) -> res.send("{\"status\":\"UP\"}"));
                            if (registry instanceof FunctionRegistry managed) {
                                r.register(MANAGEMENT_PATH, managed.managementService());
                            }
                        }))
                .build()
                .start();
        Gateway gateway = new Gateway(server, handler, dispatcher, owned);
        LOG.info("fngate listening: invocation on " + settings.host() + ":" + gateway.publicPort()
                + ", admin on " + settings.host() + ":" + gateway.adminPort()
                + ", " + registry.functions().size() + " function(s)");
        return gateway;
    }

    /**
     * @return the bound invocation port
     */
    public int publicPort() {
        return server.port();
    }

    /**
     * @return the bound admin port
     */
    public int adminPort() {
        return server.port(ADMIN);
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
     * Stops both sockets, closes idle upstream connections and, when the gateway opened its registry, the
     * registry (health checks, store).
     */
    @Override
    public void close() {
        server.stop();
        handler.close();
        dispatcher.close();
        owned.ifPresent(FunctionRegistry::close);
    }
}
