package io.fngate.registry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.webserver.http.HttpService;

/**
 * The gateway's registry: functions from the configuration (read-only) merged with functions managed through
 * the management API and kept in a {@link RegistryStore}, instances health-checked actively.
 * <p>
 * Lookups ({@link #function}, {@link #functions}) read an immutable snapshot and never block; every
 * acknowledged change is durable and visible to them at once. {@link #managementService()} is the HTTP API,
 * meant for the admin socket under {@code /v2/nvcf}. Not responsible for choosing versions or instances
 * (routing), nor for sockets.
 */
public final class FunctionRegistry implements Registry, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FunctionRegistry.class.getName());

    private final RegistryCore core;
    private final RegistryStore store;
    private final HealthMonitor monitor;
    private final ManagementService service;
    private volatile InstanceLoad.Source load = InstanceLoad.Source.NONE;

    private FunctionRegistry(RegistryCore core, RegistryStore store, HealthMonitor monitor, AdminKeys keys) {
        this.core = core;
        this.store = store;
        this.monitor = monitor;
        this.service = new ManagementService(core, new Views(core, monitor::lastCheck, () -> load), keys);
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A registry from a configuration root: {@code registry.*} settings and the {@code functions} list.
     *
     * @param root configuration root
     * @return the started registry
     * @throws IllegalArgumentException naming the key when the configuration is invalid
     * @throws RegistryStoreException   naming the file when the store cannot be opened or read
     */
    public static FunctionRegistry create(Config root) {
        return builder().config(root.get("registry")).functions(root.get("functions"))
                .defaultMaxRequestConcurrency(defaultConcurrency(root)).build();
    }

    /**
     * The per-instance limit for deployments that set none: {@code dispatch.max-request-concurrency}, default 1
     * (NVCF's own default).
     *
     * @param root configuration root
     * @return the limit
     * @throws IllegalArgumentException naming the key when it is not 1..16384
     */
    public static int defaultConcurrency(Config root) {
        Config node = root.get("dispatch.max-request-concurrency");
        int value = node.asInt().orElse(1);
        if (value < 1 || value > FunctionVersion.MAX_REQUEST_CONCURRENCY) {
            throw new IllegalArgumentException(node.key() + ": " + value + " (expected: 1.."
                    + FunctionVersion.MAX_REQUEST_CONCURRENCY + ")");
        }
        return value;
    }

    @Override
    public Optional<InferenceFunction> function(UUID id) {
        return Optional.ofNullable(core.state().view().get(id));
    }

    @Override
    public Collection<InferenceFunction> functions() {
        return core.state().view().values();
    }

    /**
     * The management API, to register under {@code /v2/nvcf} on the admin socket.
     *
     * @return the HTTP service
     */
    public HttpService managementService() {
        return service;
    }

    /**
     * Another collection of the registry's store, with the same durability (the gateway keeps API keys in
     * {@code keys}); closed with the registry.
     *
     * @param name lower-case letters
     * @return the collection
     */
    public RegistryStore collection(String name) {
        return store.collection(name);
    }

    /**
     * Sets where the management API's instance view reads load and passive health (the dispatcher).
     *
     * @param source the dispatcher's view of instances
     */
    public void instanceLoad(InstanceLoad.Source source) {
        this.load = Objects.requireNonNull(source, "source");
    }

    /**
     * Stops health checks and closes the store; acknowledged changes are already durable.
     */
    @Override
    public void close() {
        monitor.close();
        store.close();
    }

    /**
     * Builds a {@link FunctionRegistry}. Keys of the {@code registry} node: {@code store} ({@code file} or
     * {@code memory}), {@code data-dir}, {@code admin-keys}, {@code admin-keys-file}, {@code health.*} (see
     * README, "Configuration").
     */
    public static final class Builder {
        private Config config = Config.empty();
        private Config functions = Config.empty();
        private Path dataDir;
        private RegistryStore store;
        private Clock clock = Clock.systemUTC();
        private Map<String, String> environment = System.getenv();
        private int defaultConcurrency = 1;

        private Builder() {
        }

        /**
         * @param registry the {@code registry} configuration node
         * @return this
         */
        public Builder config(Config registry) {
            this.config = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param functions the {@code functions} configuration list (read-only functions)
         * @return this
         */
        public Builder functions(Config functions) {
            this.functions = Objects.requireNonNull(functions, "functions");
            return this;
        }

        /**
         * @param dataDir data directory, overriding {@code registry.data-dir} (the {@code --data-dir} flag)
         * @return this
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /**
         * @param store the store to use instead of the configured one; closed with the registry
         * @return this
         */
        public Builder store(RegistryStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param clock clock for timestamps, leases, grace periods and check schedules
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param environment environment variables ({@code FNGATE_ADMIN_KEY}); defaults to the process's
         * @return this
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * @param limit per-instance concurrency of deployments that set none (1..16384; default 1)
         * @return this
         */
        public Builder defaultMaxRequestConcurrency(int limit) {
            if (limit < 1 || limit > FunctionVersion.MAX_REQUEST_CONCURRENCY) {
                throw new IllegalArgumentException("defaultMaxRequestConcurrency: " + limit + " (expected: 1.."
                        + FunctionVersion.MAX_REQUEST_CONCURRENCY + ")");
            }
            this.defaultConcurrency = limit;
            return this;
        }

        /**
         * Reads the configuration, opens and loads the store and starts health checks.
         *
         * @return the registry
         * @throws IllegalArgumentException naming the key when the configuration is invalid
         * @throws RegistryStoreException   naming the file when the store cannot be opened or read
         */
        public FunctionRegistry build() {
            HealthSettings health = HealthSettings.create(config.get("health"));
            AdminKeys keys = AdminKeys.create(config, environment);
            List<FunctionSpec> configured = FunctionsConfig.parse(functions, clock.instant());
            RegistryStore opened = store != null ? store : openStore();
            RegistryCore core;
            try {
                core = new RegistryCore(opened, configured, clock, health, defaultConcurrency);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            HealthMonitor monitor = new HealthMonitor(core, health);
            monitor.start();
            if (!keys.configured()) {
                LOG.warning("no admin key configured: the management API answers 401/403 to every request (set "
                        + "registry.admin-keys, registry.admin-keys-file or " + AdminKeys.ENV + ")");
            }
            long stored = core.state().functions().values().stream().filter(f -> !f.readOnly()).count();
            LOG.info("registry: " + stored + " function(s) from " + opened + ", " + configured.size()
                    + " from the configuration");
            return new FunctionRegistry(core, opened, monitor, keys);
        }

        private RegistryStore openStore() {
            String kind = config.get("store").asString().orElse("file").toLowerCase(Locale.ROOT);
            return switch (kind) {
                case "file" -> RegistryStore.directory(dataDir != null ? dataDir
                        : Path.of(config.get("data-dir").asString().orElse("data")));
                case "memory" -> RegistryStore.memory();
                default -> throw new IllegalArgumentException(config.get("store").key() + ": " + kind
                        + " (expected: file or memory)");
            };
        }
    }
}
