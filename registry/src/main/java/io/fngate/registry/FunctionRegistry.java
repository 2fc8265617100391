package io.fngate.registry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

import io.helidon.config.Config;

/**
 * The gateway's registry: functions from the configuration (read-only) merged with functions created through its
 * change methods and kept in a {@link RegistryStore}, instances health-checked actively.
 * <p>
 * Lookups ({@link #function}, {@link #functions}, {@link #snapshot}) read an immutable snapshot and never block.
 * Changes ({@link #createFunction}, {@link #deploy}, ...) are serialized, made durable in the store and only then
 * published, so that a change is visible to routing exactly when it returns; a change that cannot be made throws
 * {@link RegistryException} (or {@link IllegalArgumentException} for an invalid value) and changes nothing.
 * <p>
 * Not responsible for choosing versions or instances (routing), nor for HTTP: the management module maps its own
 * API onto these methods.
 */
public final class FunctionRegistry implements Registry, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FunctionRegistry.class.getName());

    private final RegistryCore core;
    private final RegistryStore store;
    private final HealthMonitor monitor;
    private final java.util.Optional<Path> dataDirectory;
    private volatile InstanceLoad.Source load = InstanceLoad.Source.NONE;

    private FunctionRegistry(RegistryCore core, RegistryStore store, HealthMonitor monitor,
                             java.util.Optional<Path> dataDirectory) {
        this.core = core;
        this.store = store;
        this.monitor = monitor;
        this.dataDirectory = dataDirectory;
    }

    /**
     * The data directory of the file store, which this process holds (locked) while the registry is open: other
     * parts of the gateway may keep their own files under it.
     *
     * @return the directory, or empty when the store is not the file store
     */
    public java.util.Optional<Path> dataDirectory() {
        return dataDirectory;
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
     * The registry as it is now, for reading: functions, versions, deployments, statuses, instance states.
     *
     * @return a snapshot
     */
    public RegistrySnapshot snapshot() {
        return new RegistrySnapshot(core.state(), core, monitor::lastCheck, load);
    }

    /**
     * Creates a function with its first version.
     *
     * @param draft what to create; a name is required
     * @return the function as stored
     * @throws IllegalArgumentException when the draft has no name
     * @throws RegistryException        {@link RegistryException.Kind#STORE_FAILURE}
     */
    public FunctionSpec createFunction(FunctionDraft draft) {
        if (draft.name().isEmpty()) {
            throw new IllegalArgumentException("name: missing");
        }
        return core.createFunction(draft);
    }

    /**
     * Adds a version to a function; the draft's name and queue size, when given, replace the function's.
     *
     * @param functionId the function
     * @param draft      the version and identity fields
     * @return the new version
     * @throws RegistryException FUNCTION_NOT_FOUND, READ_ONLY, STORE_FAILURE
     */
    public VersionSpec addVersion(UUID functionId, FunctionDraft draft) {
        return core.addVersion(functionId, draft);
    }

    /**
     * Changes a version's metadata (description, tags, NVCF attributes); the rest stays.
     *
     * @param functionId the function
     * @param versionId  the version
     * @param update     what to change
     * @return the version as stored
     * @throws IllegalArgumentException when the update names a model the version does not have
     * @throws RegistryException        FUNCTION_NOT_FOUND, VERSION_NOT_FOUND, READ_ONLY, STORE_FAILURE
     */
    public VersionSpec updateVersion(UUID functionId, UUID versionId, VersionUpdate update) {
        return core.updateVersion(functionId, versionId, update);
    }

    /**
     * Deletes a version; the function goes with its last version.
     *
     * @param functionId the function
     * @param versionId  the version
     * @param force      also when the version is deployed (its instances drain)
     * @throws RegistryException FUNCTION_NOT_FOUND, VERSION_NOT_FOUND, READ_ONLY, VERSION_DEPLOYED, STORE_FAILURE
     */
    public void deleteVersion(UUID functionId, UUID versionId, boolean force) {
        core.deleteVersion(functionId, versionId, force);
    }

    /**
     * Creates or replaces a version's deployment; instances listed before keep their ids, registered ones stay.
     *
     * @param functionId the function
     * @param versionId  the version
     * @param draft      the deployment
     * @param replace    false: create (there must be none); true: replace (there must be one)
     * @return the deployment as stored
     * @throws RegistryException FUNCTION_NOT_FOUND, VERSION_NOT_FOUND, READ_ONLY, DEPLOYMENT_EXISTS,
     *                           DEPLOYMENT_NOT_FOUND, INSTANCE_CONFLICT, STORE_FAILURE
     */
    public DeploymentSpec deploy(UUID functionId, UUID versionId, DeploymentDraft draft, boolean replace) {
        return core.deploy(functionId, versionId, draft, replace);
    }

    /**
     * Removes a version's deployment; its instances drain.
     *
     * @param functionId the function
     * @param versionId  the version
     * @throws RegistryException FUNCTION_NOT_FOUND, VERSION_NOT_FOUND, READ_ONLY, DEPLOYMENT_NOT_FOUND, STORE_FAILURE
     */
    public void undeploy(UUID functionId, UUID versionId) {
        core.undeploy(functionId, versionId);
    }

    /**
     * Registers an instance in a version's deployment, or renews the live registration of the same URL.
     *
     * @param functionId the function
     * @param versionId  the version
     * @param draft      the instance
     * @return the instance and whether it is new
     * @throws RegistryException FUNCTION_NOT_FOUND, VERSION_NOT_FOUND, READ_ONLY, NOT_DEPLOYED, INSTANCE_CONFLICT,
     *                           STORE_FAILURE
     */
    public Registration register(UUID functionId, UUID versionId, RegistrationDraft draft) {
        return core.register(functionId, versionId, draft);
    }

    /**
     * Renews a registration's lease (nothing to renew for an instance without a TTL).
     *
     * @param functionId the function
     * @param versionId  the version
     * @param instanceId the instance
     * @return the instance
     * @throws RegistryException FUNCTION_NOT_FOUND, VERSION_NOT_FOUND, DEPLOYMENT_NOT_FOUND, INSTANCE_NOT_FOUND
     *                           (also when its registration lapsed)
     */
    public InstanceSpec heartbeat(UUID functionId, UUID versionId, UUID instanceId) {
        return core.heartbeat(functionId, versionId, instanceId);
    }

    /**
     * Removes a registered instance; it drains.
     *
     * @param functionId the function
     * @param versionId  the version
     * @param instanceId the instance
     * @throws RegistryException FUNCTION_NOT_FOUND, VERSION_NOT_FOUND, READ_ONLY, DEPLOYMENT_NOT_FOUND,
     *                           INSTANCE_NOT_FOUND, INSTANCE_CONFLICT (listed in the deployment), STORE_FAILURE
     */
    public void deregister(UUID functionId, UUID versionId, UUID instanceId) {
        core.deregister(functionId, versionId, instanceId);
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
     * {@code memory}), {@code data-dir}, {@code health.*} (see README, "Configuration"). The admin keys
     * ({@code registry.admin-keys*}) are read by the auth module.
     */
    public static final class Builder {
        private Config config = Config.empty();
        private Config functions = Config.empty();
        private Path dataDir;
        private RegistryStore store;
        private Clock clock = Clock.systemUTC();
        private int defaultConcurrency = 1;
        private java.util.function.Supplier<javax.net.ssl.SSLContext> healthTls;

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
         * Whom health checks of {@code https://} instances trust; the JDK's default CAs unless set. The gateway
         * passes the context its invocations to instances use, so both trust the same certificates.
         *
         * @param context the TLS context
         * @return this
         */
        public Builder healthCheckTls(javax.net.ssl.SSLContext context) {
            java.util.Objects.requireNonNull(context, "context");
            this.healthTls = () -> context;
            return this;
        }

        /**
         * Whom health checks of {@code https://} instances trust, asked for at the first check rather than at
         * start (loading the JDK's CA certificates takes ~150 ms).
         *
         * @param context gives the TLS context; called once, from the health checks' thread
         * @return this
         */
        public Builder healthCheckTls(java.util.function.Supplier<javax.net.ssl.SSLContext> context) {
            this.healthTls = java.util.Objects.requireNonNull(context, "context");
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
            List<FunctionSpec> configured = FunctionsConfig.parse(functions, clock.instant());
            RegistryStore opened = store != null ? store : openStore();
            java.util.Optional<Path> directory = store == null && fileStore()
                    ? java.util.Optional.of(storeDirectory().toAbsolutePath().normalize()) : java.util.Optional.empty();
            RegistryCore core;
            try {
                core = new RegistryCore(opened, configured, clock, health, defaultConcurrency);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            HealthMonitor monitor = new HealthMonitor(core, health, java.util.Optional.ofNullable(healthTls));
            monitor.start();
            long stored = core.state().functions().values().stream().filter(f -> !f.readOnly()).count();
            LOG.info("registry: " + stored + " function(s) from " + opened + ", " + configured.size()
                    + " from the configuration");
            return new FunctionRegistry(core, opened, monitor, directory);
        }

        private boolean fileStore() {
            return config.get("store").asString().orElse("file").equalsIgnoreCase("file");
        }

        private Path storeDirectory() {
            return dataDir != null ? dataDir : Path.of(config.get("data-dir").asString().orElse("data"));
        }

        private RegistryStore openStore() {
            String kind = config.get("store").asString().orElse("file").toLowerCase(Locale.ROOT);
            return switch (kind) {
                case "file" -> RegistryStore.directory(storeDirectory());
                case "memory" -> RegistryStore.memory();
                default -> throw new IllegalArgumentException(config.get("store").key() + ": " + kind
                        + " (expected: file or memory)");
            };
        }
    }
}
