package io.fngate.routing;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-shot signal that the client of a request went away: set by whoever notices (a watcher of the client
 * connection), read by the {@link Dispatcher}, which takes a waiting request out of its queue at once. The
 * dispatcher also says when a request starts to wait, so that watching the client costs nothing when a slot is
 * free at once. Thread-safe.
 */
public final class Cancellation {
    private static final Runnable NOTHING = () -> { };

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Runnable> hook = new AtomicReference<>();
    private final Runnable whenQueued;

    private Cancellation(Runnable whenQueued) {
        this.whenQueued = whenQueued;
    }

    /**
     * @return a signal not yet given
     */
    public static Cancellation create() {
        return new Cancellation(NOTHING);
    }

    /**
     * @param whenQueued run on the request's own thread just before it starts waiting in a queue (to start
     *                   watching the client)
     * @return a signal not yet given
     */
    public static Cancellation create(Runnable whenQueued) {
        return new Cancellation(java.util.Objects.requireNonNull(whenQueued, "whenQueued"));
    }

    void queued() {
        whenQueued.run();
    }

    /**
     * Gives the signal; later calls do nothing.
     */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            Runnable r = hook.getAndSet(null);
            if (r != null) {
                r.run();
            }
        }
    }

    /**
     * @return whether the signal was given
     */
    public boolean cancelled() {
        return cancelled.get();
    }

    /** Runs {@code r} once when the signal is given (at once if it was); replaces an earlier hook. */
    void onCancel(Runnable r) {
        hook.set(r);
        if (cancelled.get() && hook.compareAndSet(r, null)) {
            r.run();
        }
    }

    void clearHook() {
        hook.set(null);
    }
}
