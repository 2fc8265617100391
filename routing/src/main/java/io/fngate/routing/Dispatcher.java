package io.fngate.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.InstanceLoad;
import io.fngate.registry.Registry;

/**
 * Admits requests to instances: at most {@code maxRequestConcurrency} in flight per instance, least outstanding
 * requests between two random instances with a free slot (across every candidate version: the instance is the
 * unit of capacity), a bounded FIFO queue per function when all are busy, and passive ejection of failing
 * instances ({@link Outliers}).
 * <pre>
 *   acquire ──► a free slot? ──yes──► Lease ──► ... ──► close(): slot back ──► first queued request that
 *                  │ no                                                          can use it gets it
 *                  ▼
 *          queue full? ──yes──► QUEUE_FULL (429)
 *                  │ no
 *                  ▼
 *           wait (parked) ──► granted a Lease | deadline: QUEUE_TIMEOUT (504) | client gone: CANCELLED
 * </pre>
 * The fast path takes no lock (one CAS on the slot's counter); only queueing takes the function queue's lock.
 * A release decrements first and then looks for waiters, while a waiter enqueues first and then looks for a
 * slot: one of the two always sees the other, so no slot stays free while a request waits for it. A ticker also
 * offers slots to waiters every {@link #TICK} (new instances, ended ejections) and forgets gone instances.
 * <p>
 * Not responsible for connecting to instances, nor for deciding health: only instances the registry lists as
 * serving are ever chosen.
 */
public final class Dispatcher implements InstanceLoad.Source, AutoCloseable {
    static final Duration TICK = Duration.ofMillis(50);
    private static final int PRUNE_EVERY_TICKS = 100;

    private final Registry registry;
    private final DispatchSettings settings;
    private final Clock clock;
    private final ConcurrentHashMap<UUID, VersionSlots> slots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, FunctionQueue> queues = new ConcurrentHashMap<>();
    private final Outliers outliers;
    private final Picker picker;
    private final Thread ticker;
    private volatile boolean closed;

    private Dispatcher(Registry registry, DispatchSettings settings, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outliers = new Outliers(settings, clock, this::versionSlots);
        this.picker = new Picker(clock, this::versionSlots);
        this.ticker = Thread.ofPlatform().daemon().name("fngate-dispatch-ticker").unstarted(this::tickForever);
        ticker.start();
    }

    /**
     * @param registry where candidate versions are looked up again for waiting requests
     * @param settings queue, retry and ejection settings
     * @param clock    clock for deadlines and ejections
     * @return a running dispatcher; close it to stop its ticker
     */
    public static Dispatcher create(Registry registry, DispatchSettings settings, Clock clock) {
        return new Dispatcher(registry, settings, clock);
    }

    /**
     * @return the settings
     */
    public DispatchSettings settings() {
        return settings;
    }

    /**
     * Admits a request to an instance of the route, waiting in the function's queue while all are busy.
     *
     * @param route    the function and its candidate versions
     * @param deadline when to give up waiting
     * @param cancel   given when the client leaves; a waiting request is dropped at once
     * @param exclude  instances not to use (already tried)
     * @return a lease on a slot; close it when the exchange ends
     * @throws DispatchException when no instance takes the request
     */
    public Lease acquire(Route route, Instant deadline, Cancellation cancel, Set<Instance> exclude) {
        return acquire(route, deadline, cancel, exclude, false);
    }

    /**
     * Admits a request again after its instance failed before any byte was sent: another instance, ahead of the
     * queue.
     *
     * @param route    the function and its candidate versions
     * @param deadline when to give up waiting
     * @param cancel   given when the client leaves
     * @param exclude  instances already tried
     * @return a lease on another instance
     * @throws DispatchException when no other instance takes the request
     */
    public Lease retry(Route route, Instant deadline, Cancellation cancel, Set<Instance> exclude) {
        return acquire(route, deadline, cancel, exclude, true);
    }

    private Lease acquire(Route route, Instant deadline, Cancellation cancel, Set<Instance> exclude, boolean first) {
        if (cancel.cancelled()) {
            throw new DispatchException(DispatchException.Kind.CANCELLED, "The client went away.");
        }
        InferenceFunction function = route.function();
        FunctionQueue queue = queue(function.id());
        if (queue.waiting.get() == 0) { // nobody waits: take a free slot if there is one, without any lock
            Object got = grab(function, route.versions(), exclude, Duration.ZERO);
            if (got instanceof Lease lease) {
                return lease;
            }
            if (got == Picker.NONE) {
                throw noInstance(exclude);
            }
        }
        return await(queue, route, deadline, cancel, exclude, first);
    }

    private Lease await(FunctionQueue queue, Route route, Instant deadline, Cancellation cancel,
                        Set<Instance> exclude, boolean first) {
        Waiter w = new Waiter(route.pinned(), Set.copyOf(exclude), Thread.currentThread(), System.nanoTime());
        int bound = route.function().maxQueueSize().orElse(settings.maxQueueSize());
        queue.lock.lock();
        try {
            if (queue.dead) { // pruned meanwhile: start over on the live queue
                return acquire(route, deadline, cancel, exclude, first);
            }
            if (queue.waiters.size() >= bound && !first) {
                throw new DispatchException(DispatchException.Kind.QUEUE_FULL, "All " + queue.waiters.size()
                        + " queue places of function " + route.function().id() + " are taken; retry later.");
            }
            if (first) {
                queue.waiters.addFirst(w);
            } else {
                queue.waiters.addLast(w);
            }
            queue.waiting.incrementAndGet();
            drain(queue);
        } finally {
            queue.lock.unlock();
        }
        boolean handedOver = false;
        try {
            if (w.state == Waiter.WAITING) {
                cancel.queued();
            }
            cancel.onCancel(() -> end(queue, w, Waiter.CANCELLED));
            while (true) {
                switch (w.state) {
                case Waiter.GRANTED -> {
                    if (cancel.cancelled()) { // granted as the client left: never dispatched (finally frees it)
                        throw new DispatchException(DispatchException.Kind.CANCELLED, "The client went away.");
                    }
                    handedOver = true;
                    return w.lease;
                }
                case Waiter.FAILED -> throw w.failure;
                case Waiter.CANCELLED -> throw new DispatchException(DispatchException.Kind.CANCELLED,
                        "The client went away.");
                case Waiter.EXPIRED -> throw new DispatchException(DispatchException.Kind.QUEUE_TIMEOUT,
                        "No instance of function " + route.function().id() + " accepted the request in time: all "
                                + "were busy for " + Duration.ofNanos(System.nanoTime() - w.since).toMillis() + " ms.");
                default -> {
                    long left = Duration.between(clock.instant(), deadline).toNanos();
                    if (left <= 0) {
                        end(queue, w, Waiter.EXPIRED);
                    } else if (Thread.interrupted()) {
                        end(queue, w, Waiter.CANCELLED);
                    } else {
                        LockSupport.parkNanos(this, left);
                    }
                }
                }
            }
        } finally {
            cancel.clearHook();
            if (!handedOver) { // leaving by an exception: never stay queued, never keep a slot
                end(queue, w, Waiter.CANCELLED);
                if (w.state == Waiter.GRANTED) {
                    w.lease.close();
                }
            }
        }
    }

    /** Ends a waiter that is still queued (a grant that came first wins). */
    private void end(FunctionQueue queue, Waiter w, int how) {
        queue.lock.lock();
        try {
            if (w.state == Waiter.WAITING && queue.remove(w)) {
                w.end(how);
            }
        } finally {
            queue.lock.unlock();
        }
    }

    /**
     * Offers free slots to waiters in order. A waiter no instance can serve any more fails; once an unpinned
     * waiter finds every instance busy, nobody behind it can be served either. Holds the queue's lock.
     */
    private void drain(FunctionQueue queue) {
        if (queue.waiters.isEmpty()) {
            return;
        }
        Optional<InferenceFunction> function = registry.function(queue.functionId);
        Set<UUID> busyVersions = new java.util.HashSet<>();
        var it = queue.waiters.iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            List<FunctionVersion> versions = function.map(f -> candidates(f, w.pinned)).orElse(List.of());
            boolean plain = w.exclude.isEmpty();
            if (plain && w.pinned.isPresent() && busyVersions.contains(w.pinned.get())) {
                continue;
            }
            Object got = versions.isEmpty() ? Picker.NONE : grab(function.get(), versions, w.exclude,
                    Duration.ofNanos(System.nanoTime() - w.since));
            if (got instanceof Lease lease) {
                it.remove();
                queue.waiting.decrementAndGet();
                w.grant(lease);
            } else if (got == Picker.NONE) {
                it.remove();
                queue.waiting.decrementAndGet();
                w.fail(noInstance(w.exclude));
            } else if (plain && w.pinned.isEmpty()) {
                return; // every instance of every version is busy
            } else if (plain) {
                busyVersions.add(w.pinned.get());
            }
        }
    }

    private static List<FunctionVersion> candidates(InferenceFunction f, Optional<UUID> pinned) {
        if (pinned.isEmpty()) {
            return f.servingVersions();
        }
        return f.version(pinned.get()).filter(FunctionVersion::serving).map(List::of).orElse(List.of());
    }

    /** A lease on the slot {@link Picker} took, or the reason it took none. */
    private Object grab(InferenceFunction function, List<FunctionVersion> versions, Set<Instance> exclude,
                        Duration waited) {
        Object got = picker.take(versions, exclude);
        return got instanceof Picker.Choice c ? new Lease(this, function, c.version, c.slot, waited) : got;
    }

    private DispatchException noInstance(Set<Instance> exclude) {
        return new DispatchException(DispatchException.Kind.NO_INSTANCE, exclude.isEmpty()
                ? "Every instance of the function is failing and taken out of the rotation."
                : "No other instance of the function could be tried.");
    }

    void report(Lease lease, Lease.Result result) {
        outliers.report(lease.version(), lease.slot(), result);
    }

    void release(Lease lease) {
        lease.slot().inFlight.decrementAndGet();
        FunctionQueue queue = queues.get(lease.function().id());
        if (queue != null && queue.waiting.get() > 0) {
            queue.lock.lock();
            try {
                drain(queue);
            } finally {
                queue.lock.unlock();
            }
        }
    }

    VersionSlots versionSlots(UUID versionId) {
        VersionSlots v = slots.get(versionId);
        return v != null ? v : slots.computeIfAbsent(versionId, VersionSlots::new);
    }

    private FunctionQueue queue(UUID functionId) {
        FunctionQueue q = queues.get(functionId);
        return q != null ? q : queues.computeIfAbsent(functionId, FunctionQueue::new);
    }

    /**
     * @return requests holding a slot now, over all instances
     */
    public int inFlight() {
        int total = 0;
        for (VersionSlots v : slots.values()) {
            for (Slot s : v.slots.values()) {
                total += s.inFlight.get();
            }
        }
        return total;
    }

    /**
     * @return requests waiting in a queue now, over all functions
     */
    public int queued() {
        int total = 0;
        for (FunctionQueue q : queues.values()) {
            total += q.waiting.get();
        }
        return total;
    }

    /**
     * @param functionId a function
     * @return its requests waiting now
     */
    public int queued(UUID functionId) {
        FunctionQueue q = queues.get(functionId);
        return q == null ? 0 : q.waiting.get();
    }

    @Override
    public Optional<InstanceLoad> load(UUID versionId, Instance instance) {
        VersionSlots v = slots.get(versionId);
        Slot s = v == null ? null : v.slots.get(instance);
        if (s == null) {
            return Optional.empty();
        }
        long until = s.ejectedUntil;
        return Optional.of(new InstanceLoad(s.inFlight.get(), s.failures.get(),
                until > clock.millis() ? Optional.of(Instant.ofEpochMilli(until)) : Optional.empty()));
    }

    private void tickForever() {
        long ticks = 0;
        while (!closed) {
            LockSupport.parkNanos(TICK.toNanos());
            try {
                for (FunctionQueue q : queues.values()) {
                    if (q.waiting.get() > 0) {
                        q.lock.lock();
                        try {
                            drain(q);
                        } finally {
                            q.lock.unlock();
                        }
                    }
                }
                outliers.noticeReturns();
                if (++ticks % PRUNE_EVERY_TICKS == 0) {
                    Pruning.prune(registry, slots, queues);
                }
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(Dispatcher.class.getName())
                        .log(java.util.logging.Level.WARNING, "dispatch tick failed", e);
            }
        }
    }

    /**
     * Stops the ticker; leases already given keep working.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(ticker);
    }
}
