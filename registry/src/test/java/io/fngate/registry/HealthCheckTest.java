package io.fngate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

/**
 * Active health checks against real instances: an instance failing its health URI leaves the rotation within
 * interval x unhealthy-threshold and comes back after healthy-threshold passes.
 */
class HealthCheckTest {
    static final Duration INTERVAL = Duration.ofMillis(100);
    static final int UNHEALTHY_AFTER = 3;

    @Test
    void failingInstanceLeavesTheRotationWithinIntervalTimesThresholdAndComesBack() throws Exception {
        AtomicInteger healthA = new AtomicInteger(200);
        WebServer a = instance(healthA);
        WebServer b = instance(new AtomicInteger(200));
        Config config = Config.just(ConfigSources.create(Map.of(
                "registry.health.interval", INTERVAL.toMillis() + "ms",
                "registry.health.timeout", "500ms",
                "registry.health.unhealthy-threshold", String.valueOf(UNHEALTHY_AFTER),
                "registry.health.healthy-threshold", "2"))).get("registry");
        try (FunctionRegistry registry = FunctionRegistry.builder().config(config).store(RegistryStore.memory())
                .build()) {
            FunctionSpec fn = registry.createFunction(Drafts.function(
                    "{\"name\":\"checked\",\"health\":{\"uri\":\"/health\",\"expectedStatusCode\":200}}"));
            UUID f = fn.id();
            UUID v = fn.versions().getFirst().id();
            registry.deploy(f, v, Drafts.deployment("http://127.0.0.1:" + a.port(), "http://127.0.0.1:" + b.port()),
                    false);
            await(() -> serving(registry, f, v).size() == 2, Duration.ofSeconds(5));
            assertEquals(VersionStatus.ACTIVE, registry.function(f).orElseThrow().version(v).orElseThrow().status());

            healthA.set(503);
            long failingSince = System.nanoTime();
            await(() -> serving(registry, f, v).size() == 1, Duration.ofSeconds(5));
            long tookMs = (System.nanoTime() - failingSince) / 1_000_000;
            System.out.println("measured: instance left the rotation " + tookMs + " ms after its health URI failed "
                    + "(interval " + INTERVAL.toMillis() + " ms x " + UNHEALTHY_AFTER + ")");
            assertTrue(tookMs <= INTERVAL.toMillis() * UNHEALTHY_AFTER + 200, "took " + tookMs + " ms");
            assertEquals(List.of(b.port()), serving(registry, f, v).stream().map(Instance::port).toList());
            assertEquals(VersionStatus.DEGRADED, registry.function(f).orElseThrow().version(v).orElseThrow()
                    .status());
            RegistrySnapshot snapshot = registry.snapshot();
            VersionSpec version = snapshot.version(f, v);
            InstanceState reported = snapshot.instance(version, version.deployment().orElseThrow().instances().getFirst());
            assertEquals(InstanceHealth.UNHEALTHY, reported.health());
            assertEquals("status 503 (expected 200)", reported.lastCheckError().orElseThrow());

            healthA.set(200);
            await(() -> serving(registry, f, v).size() == 2, Duration.ofSeconds(5));
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void unreachableAndSlowInstancesFailTheirChecks() throws Exception {
        AtomicInteger health = new AtomicInteger(-1); // -1: answer 200 after 2 s, long after the 200 ms timeout
        WebServer slow = instance(health);
        String slowUrl = "http://127.0.0.1:" + slow.port();
        String refusingUrl = "http://127.0.0.1:1";
        Config config = Config.just(ConfigSources.create(Map.of(
                "registry.health.interval", "100ms",
                "registry.health.unhealthy-threshold", "1"))).get("registry");
        String f = "7a0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f";
        String v = "8a0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f";
        try (FunctionRegistry api = FunctionRegistry.builder().config(config).store(RegistryStore.memory())
                .functions(Config.just(ConfigSources.create(Map.of(
                        "functions.0.id", f,
                        "functions.0.versions.0.id", v,
                        "functions.0.versions.0.health.uri", "/health",
                        "functions.0.versions.0.health.timeout", "200ms",
                        "functions.0.versions.0.instances.0.url", slowUrl,
                        "functions.0.versions.0.instances.1.url", refusingUrl))).get("functions"))
                .build()) {
            UUID fid = UUID.fromString(f);
            UUID vid = UUID.fromString(v);
            Map<String, InstanceState> reported = new HashMap<>();
            await(() -> {
                reported.clear();
                RegistrySnapshot snapshot = api.snapshot();
                VersionSpec version = snapshot.version(fid, vid);
                version.deployment().orElseThrow().instances()
                        .forEach(i -> reported.put(i.url().toString(), snapshot.instance(version, i)));
                return reported.size() == 2
                        && reported.values().stream().allMatch(i -> i.health() == InstanceHealth.UNHEALTHY);
            }, Duration.ofSeconds(5));

            InstanceState timedOut = reported.get(slowUrl);
            assertEquals("no answer in time", timedOut.lastCheckError().orElseThrow(), timedOut.toString());
            assertTrue(timedOut.lastCheckedAt().isPresent(), timedOut.toString());
            InstanceState refused = reported.get(refusingUrl);
            assertTrue(refused.lastCheckError().orElseThrow().startsWith("ConnectException"), refused.toString());
            assertTrue(refused.lastCheckedAt().isPresent(), refused.toString());

            assertEquals(List.of(), serving(api, fid, vid));
            assertEquals(VersionStatus.DEPLOYING, api.function(fid).orElseThrow().version(vid).orElseThrow()
                    .status());
        } finally {
            slow.stop();
        }
    }

    private static List<Instance> serving(FunctionRegistry r, UUID f, UUID v) {
        return r.function(f).orElseThrow().version(v).orElseThrow().instances();
    }

    /** A function instance whose {@code GET /health} answers the given status (-1: hangs for 2 s). */
    private static WebServer instance(AtomicInteger health) {
        return WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/health", (req, res) -> {
                    if (health.get() < 0) {
                        Thread.sleep(2000);
                        res.send("late");
                        return;
                    }
                    res.status(health.get()).send("ok");
                }).any((req, res) -> res.send("served")))
                .build().start();
    }

    private static void await(BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + max);
            }
            Thread.sleep(5);
        }
    }
}
