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
    void severalSpecificationsServeTogetherWithOneLimit() {
        FunctionSpec f = create("{\"name\":\"f\"}");
        UUID v = f.versions().getFirst().id();
        DeploymentDraft.Specification l40s = new DeploymentDraft.Specification(json("{\"gpu\":\"L40S\"}"), 4,
                List.of(InstanceSpec.url("http://10.0.0.1:1", "url")));
        DeploymentDraft.Specification h100 = new DeploymentDraft.Specification(json("{\"gpu\":\"H100\"}"), 0,
                List.of(InstanceSpec.url("http://10.0.0.2:1", "url"), InstanceSpec.url("http://10.0.0.3:1", "url")));
        DeploymentSpec d = core.deploy(f.id(), v, new DeploymentDraft(List.of(l40s, h100)), false);
        assertEquals(4, d.maxRequestConcurrency());
        assertEquals(List.of(json("{\"gpu\":\"L40S\",\"maxRequestConcurrency\":4}"), json("{\"gpu\":\"H100\"}")),
                d.specifications());
        assertEquals(List.of(0, 1, 1), d.instances().stream().map(i -> i.specification().getAsInt()).toList());
        assertEquals(3, serving(f.id(), v).size(), "every specification's instances serve the version");
        assertEquals(4, core.state().view().get(f.id()).version(v).orElseThrow().maxRequestConcurrency());

        DeploymentDraft.Specification other = new DeploymentDraft.Specification(json("{}"), 8, List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeploymentDraft(List.of(l40s, other)));
        assertTrue(e.getMessage().startsWith("deploymentSpecifications[1].maxRequestConcurrency: 8 differs from 4"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeploymentDraft(List.of(l40s, l40s)),
                "a URL belongs to one specification");
    }

    @Test
    void updatingAVersionChangesOnlyWhatItNames() {
        FunctionSpec f = create("{\"name\":\"f\",\"description\":\"d\",\"tags\":[\"a\"],\"containerImage\":\"i:1\"}");
        UUID v = f.versions().getFirst().id();
        VersionSpec tagged = core.updateVersion(f.id(), v, new VersionUpdate(java.util.Optional.empty(),
                java.util.Optional.of(List.of("b", "c")), Map.of("rateLimit", json("{\"rateLimit\":\"10-S\"}")),
                Map.of()));
        assertEquals("d", tagged.description());
        assertEquals(List.of("b", "c"), tagged.tags());
        assertEquals(json("{\"containerImage\":\"i:1\",\"rateLimit\":{\"rateLimit\":\"10-S\"}}"), tagged.attributes());
        assertEquals(tagged, SpecJson.read(store.load().get(f.id())).versions().getFirst(), "stored");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> core.updateVersion(f.id(), v,
                new VersionUpdate(java.util.Optional.empty(), java.util.Optional.empty(), Map.of(),
                        Map.of("llama", json("{\"routingMethod\":\"x\"}")))));
        assertTrue(e.getMessage().contains("no model named llama"), e.getMessage());
        assertEquals(tagged, core.state().function(f.id()).orElseThrow().versions().getFirst(), "nothing changed");
    }

    @Test
    void configuredFunctionsAreReadOnly() {
        FunctionSpec configured = new FunctionSpec(UUID.randomUUID(), "static", clock.instant(), true,
                java.util.OptionalInt.empty(), List.of(new VersionSpec(UUID.randomUUID(), "", List.of(), "/", 0,
                        java.util.Optional.empty(), FunctionType.DEFAULT, JsonObject.EMPTY_JSON_OBJECT, List.of(),
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
