package io.fngate.invocation;

import java.time.Clock;
import java.util.Objects;

import io.fngate.auth.ApiKeys;
import io.fngate.routing.Dispatcher;
import io.fngate.routing.Router;
import io.fngate.streaming.RelayTicker;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The invocation endpoint: every request on the public socket goes through here. It resolves the target
 * function, forwards the request to one of its instances and streams the answer back (see README,
 * "Architecture", for the full request path).
 * <p>
 * Answers {@code GET /health} itself when the request names no function. Not responsible for socket
 * settings, TLS or configuration files (the server module wires those).
 */
public final class InvocationHandler implements Handler, AutoCloseable {
    private final Router router;
    private final Dispatcher dispatcher;
    private final java.util.Optional<ApiKeys> keys;
    private final InvocationSettings settings;
    private final InvocationListener listener;
    private final Clock clock;
    private final UpstreamPool pool;
    private final ClientWatcher watcher;
    private final RelayTicker ticker;
    private final AsyncResults asyncResults;
    private final java.util.Set<Exchange> active = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /**
     * How often event streams are looked at for a due keep-alive comment: a comment is at most this much late,
     * and every open stream is looked at once per tick. A twentieth of the interval, between 20 and 250 ms:
     * with the default 5 s that is 4 scans a second, not 50 (3,000 idle streams took 2% of a core at 20 ms).
     */
    static java.time.Duration keepAliveTick(java.time.Duration keepAlive) {
        long millis = Math.clamp(keepAlive.toMillis() / 20, 20, 250);
        return java.time.Duration.ofMillis(millis);
    }

    private InvocationHandler(Builder b) {
        this.router = Objects.requireNonNull(b.router, "router");
        this.dispatcher = Objects.requireNonNull(b.dispatcher, "dispatcher");
        this.keys = java.util.Optional.ofNullable(b.keys);
        this.settings = b.settings;
        this.watcher = new ClientWatcher(settings.requestBodyTimeout());
        this.ticker = RelayTicker.start(keepAliveTick(settings.sseKeepAlive()));
        this.listener = b.listener;
        this.clock = b.clock;
        this.pool = new UpstreamPool(settings.connectTimeout(), settings.upstreamIdleTimeout(),
                settings.maxIdlePerInstance(), settings.maxConnectionsPerInstance(), settings.upstreamTls());
        this.asyncResults = new AsyncResults(settings.async(), clock);
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Exchange exchange = new Exchange(this, req, res);
        active.add(exchange);
        try {
            exchange.run();
        } finally {
            active.remove(exchange);
        }
    }

    /**
     * Starts draining: from now on every HTTP/1.1 answer carries {@code Connection: close}. Requests keep being
     * served; the server stops taking connections.
     */
    public void drain() {
        draining = true;
    }

    /**
     * @return whether {@link #drain()} was called
     */
    public boolean draining() {
        return draining;
    }

    /**
     * @return requests being handled now (queued, waiting for a container or relaying its answer)
     */
    public int inFlight() {
        return active.size();
    }

    /**
     * Ends every request still running, at the end of a shutdown grace period: each is aborted upstream (the
     * container stops working on it), answered 503 {@code shutting-down} when nothing was sent yet or cut
     * otherwise, and recorded with the outcome {@link InvocationRecord.Outcome#SHUTDOWN}.
     *
     * @return how many were aborted
     */
    public int abortAll() {
        int n = 0;
        for (Exchange e : active) {
            e.abortForShutdown();
            n++;
        }
        // invocations answered 202 are cancelled too: their results would not survive the restart anyway
        return n + asyncResults.abortAll();
    }

    /**
     * @return invocations answered 202 whose result was not delivered yet (running, or finished and unpolled)
     */
    public int pendingResults() {
        return asyncResults.size();
    }

    /**
     * @return bytes of such results' bodies held in memory now (larger ones are in files)
     */
    public long pendingResultBytesInMemory() {
        return asyncResults.memoryInUse();
    }

    /**
     * @return upstream connections open now (in use or idle in the pool)
     */
    public int openUpstreamConnections() {
        return pool.openConnections();
    }

    /**
     * @return idle keep-alive upstream connections now (a part of {@link #openUpstreamConnections()})
     */
    public int idleUpstreamConnections() {
        return pool.idleConnections();
    }

    /**
     * Closes idle upstream connections and stops watching clients; in-flight exchanges finish on their own. The
     * dispatcher stays its creator's to close.
     */
    @Override
    public void close() {
        asyncResults.close();
        watcher.close();
        ticker.close();
        pool.close();
    }

    Router router() {
        return router;
    }

    InvocationSettings settings() {
        return settings;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    java.util.Optional<ApiKeys> keys() {
        return keys;
    }

    ClientWatcher watcher() {
        return watcher;
    }

    RelayTicker ticker() {
        return ticker;
    }

    InvocationListener listener() {
        return listener;
    }

    Clock clock() {
        return clock;
    }

    AsyncResults asyncResults() {
        return asyncResults;
    }

    UpstreamPool pool() {
        return pool;
    }

    /**
     * Builds an {@link InvocationHandler}.
     */
    public static final class Builder {
        private Router router;
        private Dispatcher dispatcher;
        private ApiKeys keys;
        private InvocationSettings settings = InvocationSettings.defaults();
        private InvocationListener listener = InvocationListener.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param router resolves requests to instances (required)
         * @return this
         */
        public Builder router(Router router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /**
         * @param dispatcher admits requests to instances (required)
         * @return this
         */
        public Builder dispatcher(Dispatcher dispatcher) {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
            return this;
        }

        /**
         * @param keys the API keys; invocations must present one when {@link ApiKeys#invocationAuth()} (default:
         *             no keys, no check)
         * @return this
         */
        public Builder keys(ApiKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * @param settings limits and timeouts
         * @return this
         */
        public Builder settings(InvocationSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * @param listener told about every finished request
         * @return this
         */
        public Builder listener(InvocationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param clock clock for deadlines and durations
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the handler
         */
        public InvocationHandler build() {
            return new InvocationHandler(this);
        }
    }
}
