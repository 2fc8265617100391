package io.fngate.routing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;

/**
 * One request's hold on one slot of one instance, from admission to the end of its response (a stream holds it
 * until the stream ends). {@link #close()} gives the slot back exactly once, whatever happened; the holder
 * reports how the instance behaved with {@link #report(Result)} first, which feeds outlier ejection.
 * <p>
 * Not thread-confined, but meant for the one exchange that acquired it.
 */
public final class Lease implements AutoCloseable {
    private final Dispatcher dispatcher;
    private final InferenceFunction function;
    private final FunctionVersion version;
    private final Slot slot;
    private final Duration queueWait;
    private final AtomicBoolean closed = new AtomicBoolean();

    Lease(Dispatcher dispatcher, InferenceFunction function, FunctionVersion version, Slot slot, Duration queueWait) {
        this.dispatcher = dispatcher;
        this.function = function;
        this.version = version;
        this.slot = slot;
        this.queueWait = queueWait;
    }

    /**
     * @return the function
     */
    public InferenceFunction function() {
        return function;
    }

    /**
     * @return the version the instance serves
     */
    public FunctionVersion version() {
        return version;
    }

    /**
     * @return the instance to call
     */
    public Instance instance() {
        return slot.instance;
    }

    /**
     * @return how long the request waited in the queue (zero when a slot was free)
     */
    public Duration queueWait() {
        return queueWait;
    }

    /**
     * Tells how the instance behaved; call before {@link #close()}, at most once per outcome that matters.
     *
     * @param result what the instance did
     */
    public void report(Result result) {
        Objects.requireNonNull(result, "result");
        if (!closed.get()) {
            dispatcher.report(this, result);
        }
    }

    /**
     * Gives the slot back (the first call only) and lets the next queued request of the function have it.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            dispatcher.release(this);
        }
    }

    /**
     * @return whether {@link #close()} was called
     */
    public boolean closed() {
        return closed.get();
    }

    Slot slot() {
        return slot;
    }

    @Override
    public String toString() {
        return "Lease[" + function.id() + "/" + version.id() + " @ " + slot.instance.url() + "]";
    }

    /**
     * How an instance behaved, for passive outlier ejection.
     */
    public enum Result {
        /** It answered (any status the container chose, except 502). */
        SUCCESS,
        /** It could not be reached, reset or broke the protocol before answering, or answered 502. */
        FAILURE
    }
}
