package io.fngate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fngate.registry.FunctionType;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.registry.VersionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(60)
class DispatcherTest {
    private static final UUID FN = UUID.randomUUID();
    private final List<Dispatcher> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Dispatcher::close);
    }

    private static FunctionVersion version(UUID id, int limit, String... urls) {
        return new FunctionVersion(id, List.of(urls).stream().map(Instance::parse).toList(), VersionStatus.ACTIVE,
                "/", FunctionType.DEFAULT, limit);
    }

    private static InferenceFunction function(int queue, FunctionVersion... versions) {
        return new InferenceFunction(FN, "f", List.of(versions), OptionalInt.of(queue));
    }

    private Dispatcher dispatcher(InferenceFunction f, DispatchSettings settings, Clock clock) {
        Dispatcher d = Dispatcher.create(Registry.of(List.of(f)), settings, clock);
        opened.add(d);
        return d;
    }

    private Dispatcher dispatcher(InferenceFunction f) {
        return dispatcher(f, DispatchSettings.defaults(), Clock.systemUTC());
    }

    private static Route route(InferenceFunction f) {
        return new Route(f, Optional.empty(), f.servingVersions());
    }

    private static Instant in(long millis) {
        return Instant.now().plusMillis(millis);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void noInstanceEverHoldsMoreThanItsLimit() throws Exception {
        InferenceFunction f = function(10_000, version(UUID.randomUUID(), 2, "http://10.0.0.1:1", "http://10.0.0.2:1"));
        Dispatcher d = dispatcher(f);
        Map<Instance, AtomicInteger> now = new ConcurrentHashMap<>();
        Map<Instance, AtomicInteger> max = new ConcurrentHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        try (Lease lease = d.acquire(route(f), in(10_000), Cancellation.create(), Set.of())) {
                            int held = now.computeIfAbsent(lease.instance(), x -> new AtomicInteger()).incrementAndGet();
                            max.computeIfAbsent(lease.instance(), x -> new AtomicInteger()).accumulateAndGet(held, Math::max);
                            Thread.yield();
                            now.get(lease.instance()).decrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(2, max.size());
        max.values().forEach(m -> assertTrue(m.get() <= 2, "an instance held " + m.get()));
        assertEquals(0, d.inFlight());
        assertEquals(0, d.queued());
    }

    @Test
    void queuedRequestsAreServedInArrivalOrder() throws Exception {
        InferenceFunction f = function(100, version(UUID.randomUUID(), 1, "http://10.0.0.1:1"));
        Dispatcher d = dispatcher(f);
        Lease first = d.acquire(route(f), in(5000), Cancellation.create(), Set.of());
        List<Integer> served = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (Lease lease = d.acquire(route(f), in(10_000), Cancellation.create(), Set.of())) {
                    served.add(n);
                }
            }));
            await("waiter " + n + " queued", () -> d.queued(FN) == n + 1);
        }
        first.close();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), served);
        assertEquals(0, d.inFlight());
    }

    @Test
    void fullQueueRefusesAtOnce() throws Exception {
        InferenceFunction f = function(2, version(UUID.randomUUID(), 1, "http://10.0.0.1:1"));
        Dispatcher d = dispatcher(f);
        Lease held = d.acquire(route(f), in(5000), Cancellation.create(), Set.of());
        List<Thread> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiting.add(Thread.ofVirtual().start(() -> {
                try {
                    d.acquire(route(f), in(10_000), Cancellation.create(), Set.of()).close();
                } catch (DispatchException ignored) {
                    // not expected; the assertions below tell
                }
            }));
        }
        await("two queued", () -> d.queued(FN) == 2);
        long t0 = System.nanoTime();
        DispatchException e = assertThrows(DispatchException.class,
                () -> d.acquire(route(f), in(10_000), Cancellation.create(), Set.of()));
        assertEquals(DispatchException.Kind.QUEUE_FULL, e.kind());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
        held.close();
        for (Thread t : waiting) {
            t.join(10_000);
        }
        assertEquals(0, d.inFlight());
        assertEquals(0, d.queued());
    }

    @Test
    void waiterGivesUpAtItsDeadline() {
        InferenceFunction f = function(10, version(UUID.randomUUID(), 1, "http://10.0.0.1:1"));
        Dispatcher d = dispatcher(f);
        try (Lease held = d.acquire(route(f), in(5000), Cancellation.create(), Set.of())) {
            long t0 = System.nanoTime();
            DispatchException e = assertThrows(DispatchException.class,
                    () -> d.acquire(route(f), in(300), Cancellation.create(), Set.of()));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(DispatchException.Kind.QUEUE_TIMEOUT, e.kind());
            assertTrue(waited >= 280 && waited < 2000, "waited " + waited + " ms");
            assertTrue(e.detail().contains("accepted the request in time"), e.detail());
            assertEquals(0, d.queued());
        }
        assertEquals(0, d.inFlight());
    }

    @Test
    void cancelledWaiterLeavesTheQueueAtOnceAndNeverGetsASlot() throws Exception {
        InferenceFunction f = function(10, version(UUID.randomUUID(), 1, "http://10.0.0.1:1"));
        Dispatcher d = dispatcher(f);
        Lease held = d.acquire(route(f), in(5000), Cancellation.create(), Set.of());
        AtomicInteger queuedCalls = new AtomicInteger();
        Cancellation cancel = Cancellation.create(queuedCalls::incrementAndGet);
        List<Object> outcome = new CopyOnWriteArrayList<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                outcome.add(d.acquire(route(f), in(10_000), cancel, Set.of()));
            } catch (DispatchException e) {
                outcome.add(e.kind());
            }
        });
        await("queued", () -> d.queued(FN) == 1 && queuedCalls.get() == 1);
        long t0 = System.nanoTime();
        cancel.cancel();
        waiter.join(5000);
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(List.of(DispatchException.Kind.CANCELLED), outcome);
        assertEquals(0, d.queued());
        held.close();
        assertEquals(0, d.inFlight());
    }

    @Test
    void freeSlotsNeverCallTheQueuedHook() {
        InferenceFunction f = function(10, version(UUID.randomUUID(), 4, "http://10.0.0.1:1"));
        Dispatcher d = dispatcher(f);
        AtomicInteger queuedCalls = new AtomicInteger();
        d.acquire(route(f), in(1000), Cancellation.create(queuedCalls::incrementAndGet), Set.of()).close();
        assertEquals(0, queuedCalls.get());
    }

    @Test
    void releaseGoesToTheFirstWaiterThatCanUseIt() throws Exception {
        UUID v1 = UUID.randomUUID();
        UUID v2 = UUID.randomUUID();
        InferenceFunction f = function(10, version(v1, 1, "http://10.0.0.1:1"), version(v2, 1, "http://10.0.0.2:1"));
        Dispatcher d = dispatcher(f);
        Lease a = d.acquire(route(f), in(5000), Cancellation.create(), Set.of());
        Lease b = d.acquire(route(f), in(5000), Cancellation.create(), Set.of());
        Lease onV1 = a.version().id().equals(v1) ? a : b;
        Lease onV2 = onV1 == a ? b : a;
        Route pinnedToV2 = new Route(f, Optional.of(v2), List.of(f.version(v2).orElseThrow()));
        List<String> order = new CopyOnWriteArrayList<>();
        Thread pinned = Thread.ofVirtual().start(() -> {
            try (Lease l = d.acquire(pinnedToV2, in(10_000), Cancellation.create(), Set.of())) {
                order.add("pinned on " + (l.version().id().equals(v2) ? "v2" : "v1"));
            }
        });
        await("pinned queued", () -> d.queued(FN) == 1);
        Thread any = Thread.ofVirtual().start(() -> {
            try (Lease l = d.acquire(route(f), in(10_000), Cancellation.create(), Set.of())) {
                order.add("any on " + (l.version().id().equals(v2) ? "v2" : "v1"));
            }
        });
        await("both queued", () -> d.queued(FN) == 2);
        onV1.close(); // the pinned waiter is first but cannot use v1: the one behind it can
        any.join(5000);
        assertEquals(List.of("any on v1"), order);
        assertEquals(1, d.queued(FN));
        onV2.close();
        pinned.join(5000);
        assertEquals(List.of("any on v1", "pinned on v2"), order);
        assertEquals(0, d.inFlight());
    }

    @Test
    void spreadsOverInstancesSoVersionsGetTrafficByCapacity() {
        UUID small = UUID.randomUUID();
        InferenceFunction f = function(10, version(small, 8, "http://10.0.0.1:1"),
                version(UUID.randomUUID(), 8, "http://10.0.0.2:1", "http://10.0.0.3:1"));
        Dispatcher d = dispatcher(f);
        int onSmall = 0;
        int total = 6000;
        for (int i = 0; i < total; i++) {
            try (Lease l = d.acquire(route(f), in(1000), Cancellation.create(), Set.of())) {
                onSmall += l.version().id().equals(small) ? 1 : 0;
            }
        }
        double share = onSmall / (double) total;
        assertTrue(share > 0.29 && share < 0.38, "one instance of three got " + share);
    }

    @Test
    void leastLoadedOfTheTwoChoicesWins() {
        InferenceFunction f = function(10, version(UUID.randomUUID(), 100, "http://10.0.0.1:1", "http://10.0.0.2:1"));
        Dispatcher d = dispatcher(f);
        List<Lease> held = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            held.add(d.acquire(route(f), in(1000), Cancellation.create(), Set.of()));
        }
        Map<Instance, Integer> counts = new HashMap<>();
        held.forEach(l -> counts.merge(l.instance(), 1, Integer::sum));
        // with two instances both choices are always made: the load never differs by more than one
        assertEquals(2, counts.size());
        counts.values().forEach(c -> assertEquals(20, c, 1));
        held.forEach(Lease::close);
        assertEquals(0, d.inFlight());
    }

    @Test
    void retryAvoidsTriedInstancesAndSaysWhenNoneIsLeft() {
        InferenceFunction f = function(10, version(UUID.randomUUID(), 4, "http://10.0.0.1:1", "http://10.0.0.2:1"));
        Dispatcher d = dispatcher(f);
        Lease first = d.acquire(route(f), in(1000), Cancellation.create(), Set.of());
        Instance tried = first.instance();
        first.close();
        for (int i = 0; i < 50; i++) {
            try (Lease again = d.retry(route(f), in(1000), Cancellation.create(), Set.of(tried))) {
                assertNotEquals(tried, again.instance());
            }
        }
        Set<Instance> both = Set.copyOf(f.versions().getFirst().instances());
        DispatchException e = assertThrows(DispatchException.class,
                () -> d.retry(route(f), in(1000), Cancellation.create(), both));
        assertEquals(DispatchException.Kind.NO_INSTANCE, e.kind());
    }

    @Test
    void failingInstanceIsEjectedThenReturnsOnProbation() {
        MovableClock clock = new MovableClock();
        DispatchSettings settings = new DispatchSettings(10, Duration.ofSeconds(1), 2, 3, Duration.ofSeconds(10),
                Duration.ofMinutes(1), 0.5);
        InferenceFunction f = function(10, version(UUID.randomUUID(), 100, "http://10.0.0.1:1", "http://10.0.0.2:1"));
        Dispatcher d = dispatcher(f, settings, clock);
        Instance bad = f.versions().getFirst().instances().getFirst();
        UUID version = f.versions().getFirst().id();
        for (int i = 0; i < 3; i++) {
            try (Lease l = d.retry(route(f), in(1000), Cancellation.create(),
                    Set.of(f.versions().getFirst().instances().get(1)))) {
                assertEquals(bad, l.instance());
                l.report(Lease.Result.FAILURE);
            }
        }
        assertTrue(d.load(version, bad).orElseThrow().ejectedUntil().isPresent());
        for (int i = 0; i < 100; i++) {
            try (Lease l = d.acquire(route(f), in(1000), Cancellation.create(), Set.of())) {
                assertNotEquals(bad, l.instance(), "an ejected instance got a request");
            }
        }
        clock.advance(Duration.ofSeconds(11));
        assertTrue(d.load(version, bad).orElseThrow().ejectedUntil().isEmpty());
        // back, on probation: one more failure ejects it again at once, for twice as long
        try (Lease l = d.retry(route(f), in(1000), Cancellation.create(),
                Set.of(f.versions().getFirst().instances().get(1)))) {
            l.report(Lease.Result.FAILURE);
        }
        Instant until = d.load(version, bad).orElseThrow().ejectedUntil().orElseThrow();
        assertEquals(Duration.ofSeconds(20), Duration.between(clock.instant(), until).plusMillis(1).withNanos(0));
        clock.advance(Duration.ofSeconds(21));
        try (Lease l = d.retry(route(f), in(1000), Cancellation.create(),
                Set.of(f.versions().getFirst().instances().get(1)))) {
            l.report(Lease.Result.SUCCESS);
        }
        assertEquals(0, d.load(version, bad).orElseThrow().consecutiveFailures());
        assertFalse(d.load(version, bad).orElseThrow().ejectedUntil().isPresent());
    }

    @Test
    void neverEjectsMoreThanTheAllowedShare() {
        MovableClock clock = new MovableClock();
        DispatchSettings settings = new DispatchSettings(10, Duration.ofSeconds(1), 2, 1, Duration.ofSeconds(10),
                Duration.ofMinutes(1), 0.5);
        InferenceFunction f = function(10, version(UUID.randomUUID(), 100, "http://10.0.0.1:1", "http://10.0.0.2:1"));
        Dispatcher d = dispatcher(f, settings, clock);
        UUID version = f.versions().getFirst().id();
        for (int i = 0; i < 20; i++) {
            try (Lease l = d.acquire(route(f), in(1000), Cancellation.create(), Set.of())) {
                l.report(Lease.Result.FAILURE);
            }
        }
        long ejected = f.versions().getFirst().instances().stream()
                .filter(i -> d.load(version, i).flatMap(x -> x.ejectedUntil()).isPresent()).count();
        assertEquals(1, ejected);
    }

    @Test
    void manyMixedAcquisitionsLeaveNothingBehind() throws Exception {
        InferenceFunction f = function(5, version(UUID.randomUUID(), 2, "http://10.0.0.1:1", "http://10.0.0.2:1"));
        Dispatcher d = dispatcher(f);
        CountDownLatch done = new CountDownLatch(32);
        AtomicInteger refused = new AtomicInteger();
        for (int t = 0; t < 32; t++) {
            int seed = t;
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        Cancellation c = Cancellation.create();
                        if ((i + seed) % 7 == 0) {
                            Thread.ofVirtual().start(c::cancel);
                        }
                        try (Lease l = d.acquire(route(f), in((i + seed) % 5 == 0 ? 1 : 2000), c, Set.of())) {
                            if (i % 3 == 0) {
                                Thread.yield();
                            }
                        } catch (DispatchException e) {
                            refused.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        assertTrue(refused.get() > 0);
        assertEquals(0, d.inFlight());
        assertEquals(0, d.queued());
    }
}
