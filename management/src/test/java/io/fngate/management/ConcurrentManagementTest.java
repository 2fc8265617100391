package io.fngate.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.RegistryStore;
import io.helidon.config.Config;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16 clients create and delete functions through the API for 10 s against the file store: what is left equals
 * what the acknowledged operations add up to, in memory and after reopening the store.
 */
class ConcurrentManagementTest {
    static final int THREADS = 16;
    static final long DURATION_MS = 10_000;

    @Test
    void finalStateEqualsTheSumOfAcknowledgedOperations(@TempDir Path dataDir) throws Exception {
        Config registry = Config.empty();
        Set<String> expected = ConcurrentHashMap.newKeySet();
        AtomicInteger creates = new AtomicInteger();
        AtomicInteger deletes = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        try (ApiServer api = new ApiServer(FunctionRegistry.builder().config(registry).dataDir(dataDir).build())) {
            CountDownLatch done = new CountDownLatch(THREADS);
            long end = System.currentTimeMillis() + DURATION_MS;
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread.ofPlatform().name("client-" + t).start(() -> {
                    List<String[]> mine = new ArrayList<>(); // {functionId, versionId}
                    try {
                        int n = 0;
                        while (System.currentTimeMillis() < end && failure.get() == null) {
                            ThreadLocalRandom random = ThreadLocalRandom.current();
                            if (mine.isEmpty() || random.nextInt(10) < 6) {
                                ApiServer.Reply r = api.call("POST", "/v2/nvcf/functions",
                                        "{\"name\":\"t" + thread + "-" + n++ + "\"}");
                                check(r, 200, failure);
                                JsonObject fn = r.json().getJsonObject("function");
                                mine.add(new String[] {fn.getString("id"), fn.getString("versionId")});
                                expected.add(fn.getString("id"));
                                creates.incrementAndGet();
                            } else {
                                String[] victim = mine.remove(random.nextInt(mine.size()));
                                ApiServer.Reply r = api.call("DELETE", "/v2/nvcf/functions/" + victim[0]
                                        + "/versions/" + victim[1], null);
                                check(r, 204, failure);
                                expected.remove(victim[0]);
                                deletes.incrementAndGet();
                            }
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e.toString());
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            assertEquals(null, failure.get());
            assertEquals(expected, listed(api));
            assertEquals(creates.get() - deletes.get(), expected.size());
            System.out.println("measured: " + creates.get() + " creates and " + deletes.get() + " deletes acknowledged in " + DURATION_MS
                    + " ms by " + THREADS + " clients: " + (creates.get() + deletes.get()) * 1000 / DURATION_MS
                    + " writes/s, " + expected.size() + " functions left");
            assertTrue(creates.get() > 100, "too few operations to mean anything: " + creates.get());
        }
        try (ApiServer reopened = new ApiServer(FunctionRegistry.builder().config(registry).dataDir(dataDir).build())) {
            assertEquals(expected, listed(reopened), "the store holds exactly the acknowledged state");
        }
    }

    private static void check(ApiServer.Reply r, int status, AtomicReference<String> failure) {
        if (r.status() != status) {
            failure.compareAndSet(null, "expected " + status + ", got " + r.status() + ": " + r.body());
            throw new IllegalStateException(r.body());
        }
    }

    private static Set<String> listed(ApiServer api) {
        Set<String> ids = new HashSet<>();
        api.call("GET", "/v2/nvcf/functions", null).json().getJsonArray("functions")
                .getValuesAs(JsonObject.class).forEach(f -> ids.add(f.getString("id")));
        return ids;
    }
}
