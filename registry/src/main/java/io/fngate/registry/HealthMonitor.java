package io.fngate.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Active health checks: one ticker thread decides which instances are due and starts their checks
 * asynchronously (no thread waits on an instance); results move each instance through {@link HealthState} and
 * only changes of health are published to the registry.
 * <p>
 * The ticker also asks the registry to refresh its view when a lease may lapse or a grace period ends. Not
 * responsible for passive health (failed invocations): routing only sees what the checks decided.
 */
final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthMonitor.class.getName());

    private final RegistryCore core;
    private final HealthSettings settings;
    private final Clock clock;
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final java.util.Optional<java.util.function.Supplier<javax.net.ssl.SSLContext>> tls;
    /** Made at the first check, not at start: an HttpClient and the TLS context it needs cost ~250 ms. */
    private HttpClient client;
    private boolean closed;
    private final ScheduledExecutorService ticker;
    private final ConcurrentHashMap<UUID, Probe> probes = new ConcurrentHashMap<>();
    private RegistryState seen;
    private Map<UUID, Target> targets = Map.of();

    HealthMonitor(RegistryCore core, HealthSettings settings,
                  java.util.Optional<java.util.function.Supplier<javax.net.ssl.SSLContext>> tls) {
        this.core = core;
        this.settings = settings;
        this.clock = core.clock();
        this.tls = tls;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fngate-health-ticker");
            t.setDaemon(true);
            return t;
        });
    }

    /** What to check for one instance. */
    record Target(UUID instanceId, URI uri, Duration timeout, int expectedStatus) {
    }

    /** The last check of an instance, for the management API. */
    record LastCheck(Instant at, String error) {
    }

    private static final class Probe {
        private final AtomicBoolean inFlight = new AtomicBoolean();
        private volatile HealthState state = HealthState.NEW;
        private volatile Instant nextDue;
        private volatile LastCheck last;

        private Probe(Instant due) {
            this.nextDue = due;
        }
    }

    void start() {
        long tick = Math.clamp(settings.interval().toMillis() / 4, 10, 250);
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, tick, TimeUnit.MILLISECONDS);
    }

    Optional<LastCheck> lastCheck(UUID instanceId) {
        return Optional.ofNullable(probes.get(instanceId)).map(p -> p.last);
    }

    /** One round: refresh the registry view, then start the checks that are due. Ticker thread only. */
    void tick() {
        core.refresh();
        RegistryState s = core.state();
        if (s != seen) {
            targets = targets(s);
            seen = s;
            probes.keySet().retainAll(targets.keySet());
        }
        Instant now = clock.instant();
        for (Target t : targets.values()) {
            Probe p = probes.computeIfAbsent(t.instanceId(), id -> new Probe(now));
            if (!now.isBefore(p.nextDue) && p.inFlight.compareAndSet(false, true)) {
                p.nextDue = now.plus(settings.interval());
                check(t, p);
            }
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "health check round failed", e);
        }
    }

    private Map<UUID, Target> targets(RegistryState s) {
        Map<UUID, Target> result = new HashMap<>();
        for (FunctionSpec f : s.functions().values()) {
            for (VersionSpec v : f.versions()) {
                if (v.health().isEmpty() || v.deployment().isEmpty()) {
                    continue;
                }
                HealthSpec h = v.health().get();
                for (InstanceSpec i : v.deployment().get().instances()) {
                    if (s.lapsed().contains(i.id())) {
                        continue;
                    }
                    Instance address = v.address(i);
                    int port = h.port() > 0 ? h.port() : address.port();
                    String host = address.host().indexOf(':') >= 0 ? "[" + address.host() + "]" : address.host();
                    URI uri = URI.create((address.secure() ? "https://" : "http://") + host + ":" + port + h.uri());
                    result.put(i.id(), new Target(i.id(), uri, h.timeout().orElse(settings.timeout()),
                            h.expectedStatusCode()));
                }
            }
        }
        return result;
    }

    private void check(Target t, Probe p) {
        try {
            HttpRequest request = HttpRequest.newBuilder(t.uri())
                    .timeout(t.timeout())
                    .header("User-Agent", "fngate-health-check")
                    .GET()
                    .build();
            HttpClient http = client();
            if (http == null) {
                return; // closed
            }
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .orTimeout(t.timeout().toMillis() + 50, TimeUnit.MILLISECONDS)
                    .whenComplete((response, error) -> completed(t, p,
                            response == null ? -1 : response.statusCode(), error));
        } catch (RuntimeException e) {
            completed(t, p, -1, e);
        }
    }

    private void completed(Target t, Probe p, int status, Throwable error) {
        boolean passed = error == null && status == t.expectedStatus();
        String problem = passed ? ""
                : error == null ? "status " + status + " (expected " + t.expectedStatus() + ")" : describe(error);
        HealthState before = p.state;
        HealthState after = before.after(passed, settings.unhealthyThreshold(), settings.healthyThreshold());
        p.state = after;
        p.last = new LastCheck(clock.instant(), problem);
        p.inFlight.set(false);
        if (after.health() != before.health()) {
            LOG.info("instance " + t.instanceId() + " (" + t.uri() + ") is now " + after.health()
                    + (problem.isEmpty() ? "" : ": " + problem));
            core.healthChanged(t.instanceId(), after.health());
        }
    }

    private static String describe(Throwable error) {
        Throwable e = error;
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof java.util.concurrent.TimeoutException || e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }

    private synchronized HttpClient client() {
        if (client == null && !closed) {
            HttpClient.Builder b = HttpClient.newBuilder();
            tls.ifPresent(t -> b.sslContext(t.get()));
            client = b
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(settings.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(callbacks)
                    .build();
        }
        return client;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        synchronized (this) {
            closed = true;
            if (client != null) {
                client.shutdownNow();
            }
        }
        callbacks.shutdownNow();
    }
}
