package io.fngate.e2e.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway runs as a separate JVM while clients write through the management API; it is killed with SIGKILL
 * at random moments, restarted, and every acknowledged write must be there. A write in flight at the kill may
 * have happened or not, nothing else.
 * <p>
 * Each function walks the same path, one acknowledged step at a time: created, deployed on u1, u3 registered,
 * deployment replaced by u1+u2, version deleted (gone).
 */
class CrashSafetyTest {
    static final int KILLS = 10;
    static final int WRITERS = 4;
    static final String U1 = "http://127.0.0.1:9001";
    static final String U2 = "http://127.0.0.1:9002";
    static final String U3 = "http://127.0.0.1:9003";
    /** What the management API shows after each step; index = steps acknowledged. */
    static final List<String> STATES = List.of("absent", "created", U1 + "|deployment",
            U1 + "|deployment " + U3 + "|registered", U1 + "|deployment " + U2 + "|deployment " + U3 + "|registered",
            "absent");

    @TempDir
    Path dir;

    /** One function's history as the clients know it. */
    static final class Tracked {
        final String name;
        volatile String id;
        volatile String versionId;
        volatile int steps;
        volatile boolean inDoubt;

        Tracked(String name) {
            this.name = name;
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkillAtRandomMoments() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                server: { host: 127.0.0.1, port: 0 }
                admin: { port: 0 }
                registry:
                  admin-keys: [ "%s" ]
                """.formatted(Admin.KEY));
        Path data = dir.resolve("data");
        Path cds = Path.of("target", "fngate-crash-test.jsa").toAbsolutePath();
        List<Tracked> all = new ArrayList<>();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger names = new AtomicInteger();
        int inDoubt = 0;
        long started = System.nanoTime();
        for (int life = 0; life <= KILLS; life++) {
            GatewayJvm gateway = GatewayJvm.start(config, data, cds);
            Admin admin = new Admin(gateway.adminPort);
            inDoubt += verify(admin, all, gateway, seed);
            if (life == KILLS) {
                gateway.kill();
                break;
            }
            ConcurrentLinkedQueue<Tracked> pool = new ConcurrentLinkedQueue<>(all.stream()
                    .filter(t -> t.steps >= 1 && t.steps < STATES.size() - 1).toList());
            AtomicBoolean killed = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(Thread.ofVirtual().start(() -> write(admin, pool, all, names, acknowledged, killed,
                        failure)));
            }
            Thread.sleep(30 + random.nextInt(500));
            killed.set(true);
            gateway.kill();
            for (Thread w : writers) {
                w.join();
            }
            if (failure.get() != null) {
                fail("seed " + seed + ": " + failure.get() + "\n" + gateway.log);
            }
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        System.out.println("measured: " + KILLS + " SIGKILLs in " + tookMs + " ms, " + acknowledged.get()
                + " acknowledged writes all found after restarts, " + inDoubt + " writes in flight at a kill, "
                + all.size() + " functions (seed " + seed + ")");
        assertTrue(acknowledged.get() >= 100, "too few writes to mean anything: " + acknowledged.get());
    }

    /** Writes until the gateway is gone: each write moves one function one step. */
    private static void write(Admin admin, ConcurrentLinkedQueue<Tracked> pool, List<Tracked> all,
                              AtomicInteger names, AtomicInteger acknowledged, AtomicBoolean killed,
                              AtomicReference<String> failure) {
        while (failure.get() == null) {
            Tracked t = pool.poll();
            if (t == null || ThreadLocalRandom.current().nextInt(4) == 0) {
                if (t != null) {
                    pool.add(t);
                }
                t = new Tracked("crash-" + names.incrementAndGet());
                synchronized (all) {
                    all.add(t);
                }
            }
            t.inDoubt = true;
            try {
                Admin.Reply r = step(admin, t);
                int expected = switch (t.steps) {
                    case 0, 1, 3 -> 200;
                    case 2 -> 201; // a new instance registration (fngate's own route)
                    default -> 204;
                };
                if (r.status() != expected) {
                    failure.compareAndSet(null, t.name + " step " + t.steps + ": " + r.status() + " " + r.json());
                    return;
                }
                if (t.steps == 0) {
                    t.id = r.json().getJsonObject("function").getString("id");
                    t.versionId = r.json().getJsonObject("function").getString("versionId");
                }
                t.steps++;
                t.inDoubt = false;
                acknowledged.incrementAndGet();
                if (t.steps < STATES.size() - 1) {
                    pool.add(t);
                }
            } catch (IOException e) {
                if (!killed.get()) {
                    failure.compareAndSet(null, t.name + " step " + t.steps + " failed before the kill: " + e);
                }
                return; // the gateway is gone: this write stays in doubt
            }
        }
    }

    private static Admin.Reply step(Admin admin, Tracked t) throws IOException {
        String deployment = "/deployments/functions/" + t.id + "/versions/" + t.versionId;
        return switch (t.steps) {
            case 0 -> admin.send("POST", "/functions", "{\"name\":\"" + t.name + "\"}");
            case 1 -> admin.send("POST", deployment, "{\"instances\":[\"" + U1 + "\"]}");
            case 2 -> admin.send("POST", deployment + "/instances", "{\"url\":\"" + U3 + "\"}");
            case 3 -> admin.send("PUT", deployment, "{\"instances\":[\"" + U1 + "\",\"" + U2 + "\"]}");
            default -> admin.send("DELETE", "/functions/" + t.id + "/versions/" + t.versionId + "?force=true", null);
        };
    }

    /**
     * Checks every function against what was acknowledged (or the one write in doubt), then takes what is
     * there as the new truth.
     *
     * @return writes that were in doubt
     */
    private static int verify(Admin admin, List<Tracked> all, GatewayJvm gateway, long seed) {
        Map<String, JsonObject> listed = new HashMap<>();
        for (JsonObject f : admin.call("GET", "/functions", null).json().getJsonArray("functions")
                .getValuesAs(JsonObject.class)) {
            listed.put(f.getString("name"), f);
        }
        int doubts = 0;
        synchronized (all) {
            for (Tracked t : all) {
                JsonObject entry = listed.remove(t.name);
                String observed = entry == null ? "absent" : state(admin, entry);
                int at = t.steps;
                if (observed.equals(STATES.get(at))) {
                    t.steps = at;
                } else if (t.inDoubt && observed.equals(STATES.get(at + 1))) {
                    t.steps = at + 1;
                } else {
                    fail("seed " + seed + ": " + t.name + " after " + at + " acknowledged step(s)"
                            + (t.inDoubt ? " and one in doubt" : "") + " should be " + STATES.get(at)
                            + (t.inDoubt ? " or " + STATES.get(at + 1) : "") + ", found " + observed + "\n"
                            + gateway.log);
                }
                if (entry != null && t.id == null) {
                    t.id = entry.getString("id");
                    t.versionId = entry.getString("versionId");
                }
                doubts += t.inDoubt ? 1 : 0;
                t.inDoubt = false;
            }
        }
        assertEquals(Map.of(), listed, "functions nobody created");
        return doubts;
    }

    private static String state(Admin admin, JsonObject function) {
        Admin.Reply d = admin.call("GET", "/deployments/functions/" + function.getString("id") + "/versions/"
                + function.getString("versionId"), null);
        if (d.status() == 404) {
            return "created";
        }
        TreeSet<String> instances = new TreeSet<>();
        d.json().getJsonObject("deployment").getJsonArray("instances").getValuesAs(JsonObject.class)
                .forEach(i -> instances.add(i.getString("url") + "|" + i.getString("source")));
        return String.join(" ", instances);
    }
}
