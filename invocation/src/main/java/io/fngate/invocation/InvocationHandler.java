package io.fngate.invocation;

import java.time.Clock;
import java.util.Objects;

import io.fngate.routing.Dispatcher;
import io.fngate.routing.Router;
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
    private final InvocationSettings settings;
    private final InvocationListener listener;
    private final Clock clock;
    private final UpstreamPool pool;
    private final ClientWatcher watcher;

    private InvocationHandler(Builder b) {
        this.router = Objects.requireNonNull(b.router, "router");
        this.dispatcher = Objects.requireNonNull(b.dispatcher, "dispatcher");
        this.settings = b.settings;
        this.watcher = new ClientWatcher(settings.requestBodyTimeout());
        this.listener = b.listener;
        this.clock = b.clock;
        this.pool = new UpstreamPool(settings.connectTimeout(), settings.upstreamIdleTimeout(),
                settings.maxIdlePerInstance(), settings.maxConnectionsPerInstance());
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        new Exchange(this, req, res).run();
    }

    /**
     * @return upstream connections open now (in use or idle in the pool)
     */
    public int openUpstreamConnections() {
        return pool.openConnections();
    }

    /**
     * Closes idle upstream connections and stops watching clients; in-flight exchanges finish on their own. The
     * dispatcher stays its creator's to close.
     */
    @Override
    public void close() {
        watcher.close();
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

    ClientWatcher watcher() {
        return watcher;
    }

    InvocationListener listener() {
        return listener;
    }

    Clock clock() {
        return clock;
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
