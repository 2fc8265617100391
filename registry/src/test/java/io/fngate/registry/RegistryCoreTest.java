package io.fngate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class RegistryCoreTest {
    static final HealthSettings SETTINGS = new HealthSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 2,
            Duration.ofSeconds(30));
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final RegistryStore store = RegistryStore.memory();
    final RegistryCore core = new RegistryCore(store, List.of(), clock, SETTINGS);

    @Test
    void statusFollowsDeploymentHealthAndGracePeriod() {
        FunctionSpec f = create("{\"name\":\"f\",\"health\":{\"uri\":\"/health\"}}");
        UUID v = f.versions().getFirst().id();
        assertEquals(VersionStatus.INACTIVE, status(f.id(), v));
        DeploymentSpec d = core.deploy(f.id(), v, deployment("http://10.0.0.1:1", "http://10.0.0.2:1"), false);
        assertEquals(VersionStatus.DEPLOYING, status(f.id(), v));
        assertTrue(serving(f.id(), v).isEmpty(), "unchecked instances are not served yet");
        UUID a = d.instances().get(0).id();
        UUID b = d.instances().get(1).id();
        core.healthChanged(a, InstanceHealth.HEALTHY);
        assertEquals(VersionStatus.DEGRADED, status(f.id(), v));
        assertEquals(List.of(Instance.parse("http://10.0.0.1:1")), serving(f.id(), v));
        core.healthChanged(b, InstanceHealth.HEALTHY);
        assertEquals(VersionStatus.ACTIVE, status(f.id(), v));
        core.healthChanged(a, InstanceHealth.UNHEALTHY);
        core.healthChanged(b, InstanceHealth.UNHEALTHY);
        assertEquals(VersionStatus.DEPLOYING, status(f.id(), v), "within the grace period");
        clock.advance(Duration.ofSeconds(31));
        core.refresh();
        assertEquals(VersionStatus.ERROR, status(f.id(), v), "grace period over");
        core.undeploy(f.id(), v);
        assertEquals(VersionStatus.INACTIVE, status(f.id(), v));
    }

    @Test
    void versionsWithoutHealthCheckServeAsSoonAsDeployed() {
        FunctionSpec f = create("{\"name\":\"f\"}");
        UUID v = f.versions().getFirst().id();
        core.deploy(f.id(), v, deployment("http://10.0.0.1:1"), false);
        assertEquals(VersionStatus.ACTIVE, status(f.id(), v));
        assertEquals(1, serving(f.id(), v).size());
    }

    @Test
    void replacingADeploymentKeepsInstanceIdsAndHealthOfListedUrls() {
        FunctionSpec f = create("{\"name\":\"f\",\"health\":{\"uri\":\"/h\"}}");
        UUID v = f.versions().getFirst().id();
        UUID a = core.deploy(f.id(), v, deployment("http://10.0.0.1:1"), false).instances().getFirst().id();
        core.healthChanged(a, InstanceHealth.HEALTHY);
        DeploymentSpec d = core.deploy(f.id(), v, deployment("http://10.0.0.1:1", "http://10.0.0.3:1"), true);
        assertEquals(a, d.instances().getFirst().id());
        assertEquals(List.of(Instance.parse("http://10.0.0.1:1")), serving(f.id(), v));
        assertEquals(RegistryException.Kind.DEPLOYMENT_EXISTS, error(() -> core.deploy(f.id(), v, deployment(), false)));
        core.undeploy(f.id(), v);
        assertEquals(RegistryException.Kind.DEPLOYMENT_NOT_FOUND, error(() -> core.deploy(f.id(), v, deployment(), true)));
    }

    @Test
    void registrationLapsesWithoutHeartbeatAndLeavesTheStore() {
        FunctionSpec f = create("{\"name\":\"f\"}");
        UUID v = f.versions().getFirst().id();
        core.deploy(f.id(), v, deployment(), false);
        Registration r = core.register(f.id(), v, registration("http://10.0.0.9:80", "PT10S"));
        assertTrue(r.created());
        assertEquals(1, serving(f.id(), v).size());
        clock.advance(Duration.ofSeconds(8));
        core.heartbeat(f.id(), v, r.instance().id());
        clock.advance(Duration.ofSeconds(8));
        core.refresh();
        assertEquals(1, serving(f.id(), v).size(), "the heartbeat renewed the lease");
        clock.advance(Duration.ofSeconds(3));
        core.refresh();
        assertTrue(serving(f.id(), v).isEmpty(), "lapsed: out of the rotation at once");
        core.removeLapsed();
        assertTrue(core.state().function(f.id()).get().version(v).get().deployment().get().instances().isEmpty());
        assertFalse(SpecJson.read(store.load().get(f.id())).versions().getFirst().deployment().get().instances()
                .stream().anyMatch(i -> i.id().equals(r.instance().id())), "gone from the store too");
        assertEquals(RegistryException.Kind.INSTANCE_NOT_FOUND,
                error(() -> core.heartbeat(f.id(), v, r.instance().id())));
    }

    @Test
    void registeringTheSameUrlAgainRenewsTheSameInstance() {
        FunctionSpec f = create("{\"name\":\"f\"}");
        UUID v = f.versions().getFirst().id();
        assertEquals(RegistryException.Kind.NOT_DEPLOYED,
                error(() -> core.register(f.id(), v, registration("http://10.0.0.9", "PT10S"))));
        core.deploy(f.id(), v, deployment("http://10.0.0.1:1"), false);
        Registration first = core.register(f.id(), v, registration("http://10.0.0.9", "PT10S"));
        Registration again = core.register(f.id(), v, registration("http://10.0.0.9", "PT20S"));
        assertFalse(again.created());
        assertEquals(first.instance().id(), again.instance().id());
        assertEquals(RegistryException.Kind.INSTANCE_CONFLICT,
                error(() -> core.register(f.id(), v, registration("http://10.0.0.1:1", null))));
        assertEquals(RegistryException.Kind.INSTANCE_CONFLICT, error(() -> core.deploy(f.id(), v,
                deployment("http://10.0.0.9"), true)));
        UUID listed = core.state().function(f.id()).get().version(v).get().deployment().get().instances()
                .getFirst().id();
        assertEquals(RegistryException.Kind.INSTANCE_CONFLICT, error(() -> core.deregister(f.id(), v, listed)));
        core.deregister(f.id(), v, first.instance().id());
        assertEquals(1, serving(f.id(), v).size());
    }

    @Test
    void deletingADeployedVersionNeedsForceAndTheLastVersionTakesTheFunction() {
        FunctionSpec f = create("{\"name\":\"f\"}");
        UUID v1 = f.versions().getFirst().id();
        UUID v2 = core.addVersion(f.id(), Drafts.function("{\"inferenceUrl\":\"/v2\"}")).id();
        core.deploy(f.id(), v1, deployment("http://10.0.0.1:1"), false);
        assertEquals(RegistryException.Kind.VERSION_DEPLOYED, error(() -> core.deleteVersion(f.id(), v1, false)));
        core.deleteVersion(f.id(), v1, true);
        assertEquals(1, core.state().function(f.id()).get().versions().size());
        core.deleteVersion(f.id(), v2, false);
        assertTrue(core.state().function(f.id()).isEmpty());
        assertTrue(store.load().isEmpty());
        assertEquals(RegistryException.Kind.FUNCTION_NOT_FOUND, error(() -> core.deleteVersion(f.id(), v2, false)));
    }

    @Test
    void configuredFunctionsAreReadOnly() {
        FunctionSpec configured = new FunctionSpec(UUID.randomUUID(), "static", "", List.of(), clock.instant(), true,
                java.util.OptionalInt.empty(), List.of(new VersionSpec(UUID.randomUUID(), "/", 0, java.util.Optional.empty(), FunctionType.DEFAULT,
                        clock.instant(), java.util.Optional.empty())));
        RegistryCore withStatic = new RegistryCore(RegistryStore.memory(), List.of(configured), clock, SETTINGS);
        UUID v = configured.versions().getFirst().id();
        assertEquals(RegistryException.Kind.READ_ONLY, error(() -> withStatic.deploy(configured.id(), v, deployment(), false)));
        assertEquals(RegistryException.Kind.READ_ONLY, error(() -> withStatic.deleteVersion(configured.id(), v, true)));
        assertEquals(RegistryException.Kind.READ_ONLY,
                error(() -> withStatic.addVersion(configured.id(), Drafts.function("{}"))));
    }

    @Test
    void aFailedStoreWriteChangesNothing() {
        FunctionSpec f = create("{\"name\":\"f\"}");
        RegistryStore failing = new RegistryStore() {
            @Override
            public Map<UUID, JsonObject> load() {
                return store.load();
            }

            @Override
            public void put(UUID functionId, JsonObject document) {
                throw new RegistryStoreException("disk full");
            }

            @Override
            public void delete(UUID functionId) {
                throw new RegistryStoreException("disk full");
            }

            @Override
            public String location(UUID functionId) {
                return "x";
            }

            @Override
            public RegistryStore collection(String name) {
                return this;
            }

            @Override
            public void close() {
            }
        };
        RegistryCore broken = new RegistryCore(failing, List.of(), clock, SETTINGS);
        UUID v = f.versions().getFirst().id();
        RegistryState before = broken.state();
        assertEquals(RegistryException.Kind.STORE_FAILURE, error(() -> broken.deploy(f.id(), v, deployment("http://h"), false)));
        assertEquals(RegistryException.Kind.STORE_FAILURE, error(() -> broken.deleteVersion(f.id(), v, false)));
        assertTrue(broken.state() == before);
    }

    @Test
    void aReloadedStoreGivesTheSameFunctions() {
        FunctionSpec f = create("{\"name\":\"f\",\"description\":\"d\",\"tags\":[\"a\"],\"inferencePort\":8000,"
                + "\"functionType\":\"STREAMING\",\"health\":{\"uri\":\"/h\",\"port\":9,\"timeout\":\"PT3S\","
                + "\"expectedStatusCode\":204}}");
        UUID v = f.versions().getFirst().id();
        core.deploy(f.id(), v, deployment("http://10.0.0.1"), false);
        core.register(f.id(), v, registration("http://10.0.0.2:7", "PT1M"));
        RegistryCore reloaded = new RegistryCore(store, List.of(), clock, SETTINGS);
        assertEquals(core.state().functions(), reloaded.state().functions());
        Instance i = core.state().view().get(f.id()).version(v).get().instances().isEmpty()
                ? null : core.state().view().get(f.id()).version(v).get().instances().getFirst();
        assertEquals(null, i, "health-checked instances wait for their first check");
        VersionSpec stored = reloaded.state().functions().get(f.id()).versions().getFirst();
        assertEquals(8000, stored.address(stored.deployment().get().instances().getFirst()).port(),
                "a URL without port uses inferencePort");
        assertNotEquals(0, reloaded.leaseExpiry(stored.deployment().get().instances().get(1).id()).orElseThrow()
                .getEpochSecond());
    }

    private FunctionSpec create(String body) {
        return core.createFunction(Drafts.function(body));
    }

    private VersionStatus status(UUID f, UUID v) {
        return core.state().view().get(f).version(v).orElseThrow().status();
    }

    private List<Instance> serving(UUID f, UUID v) {
        return core.state().view().get(f).version(v).orElseThrow().instances();
    }

    static DeploymentDraft deployment(String... urls) {
        return Drafts.deployment(urls);
    }

    static RegistrationDraft registration(String url, String ttl) {
        return Drafts.registration(url, ttl);
    }

    static JsonObject json(String text) {
        return Drafts.json(text);
    }

    static RegistryException.Kind error(Runnable r) {
        return assertThrows(RegistryException.class, r::run).kind();
    }
}
