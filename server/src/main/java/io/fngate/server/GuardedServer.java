package io.fngate.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.webserver.WebServer;

/**
 * A server socket kept alive. Helidon 4.5.0 ends a listener for good when {@code accept()} fails (for instance
 * when the process runs out of file descriptors: "this server socket is terminating now"), while the process and
 * the other sockets run on. This class notices that (Helidon's own log record, and a connect probe every
 * {@link #PROBE_EVERY} as a backstop), builds a new server on the same port, and retries with a growing pause
 * until it binds. {@link #up()} says whether the socket is accepting, for readiness.
 * <p>
 * Not responsible for what the server serves: {@code factory} builds a complete server for a port.
 */
final class GuardedServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GuardedServer.class.getName());
    private static final Logger HELIDON_LISTENER = Logger.getLogger("io.helidon.webserver.ServerListener");
    private static final Duration PROBE_EVERY = Duration.ofSeconds(2);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final String name;
    private final IntFunction<WebServer> factory;
    private final String host;
    private final Object lock = new Object();
    private final Handler deathNotice = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.contains("server socket is terminating now") && !closed) {
                // the record does not say which server's listener died: each guard probes its own at once
                probeSoon();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Thread guardian;
    private volatile WebServer server;
    private volatile int port;
    private volatile boolean up;
    private volatile boolean closed;

    private GuardedServer(String name, IntFunction<WebServer> factory, String host, int port) {
        this.name = name;
        this.factory = factory;
        this.host = host;
        this.server = factory.apply(port).start();
        this.port = server.port();
        this.up = true;
        HELIDON_LISTENER.addHandler(deathNotice);
        this.guardian = Thread.ofPlatform().daemon().name("fngate-guard-" + name).start(this::guard);
    }

    /**
     * Starts a server and keeps it alive.
     *
     * @param name    what it is, for the log ("public", "admin")
     * @param factory builds (does not start) the server for a port
     * @param host    the address it binds, for the probe
     * @param port    the configured port (0: any free one, kept for restarts)
     */
    static GuardedServer start(String name, IntFunction<WebServer> factory, String host, int port) {
        return new GuardedServer(name, factory, host, port);
    }

    int port() {
        return port;
    }

    /**
     * @return whether the public socket accepts connections now
     */
    boolean up() {
        return up && !closed;
    }

    WebServer server() {
        return server;
    }

    private void probeSoon() {
        java.util.concurrent.locks.LockSupport.unpark(guardian);
    }

    private void guard() {
        while (!closed) {
            java.util.concurrent.locks.LockSupport.parkNanos(PROBE_EVERY.toNanos());
            if (!closed && !accepts()) {
                restart();
            }
        }
    }

    /** A connect to our own port: a dead listener refuses (its socket is closed). */
    private boolean accepts() {
        String probeHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(probeHost, port), 1000);
            return true;
        } catch (IOException e) {
            return IoFailures.outOfFiles(e); // no descriptor for the probe itself says nothing about the listener
        }
    }

    private void restart() {
        up = false;
        LOG.severe("the " + name + " socket on port " + port + " stopped accepting connections; starting it again");
        // a listener dies when accept() fails, mostly for want of file descriptors: the dying listener closed its
        // connections, so give the process a moment to let those go before binding again, and more between tries
        Duration pause = Duration.ofMillis(250);
        while (!closed) {
            java.util.concurrent.locks.LockSupport.parkNanos(pause.toNanos());
            if (closed) {
                return;
            }
            synchronized (lock) {
                try {
                    WebServer fresh = factory.apply(port).start();
                    server = fresh; // the old one's listener is dead and its socket closed; nothing to stop
                    up = true;
                    LOG.warning("the " + name + " socket on port " + port + " accepts connections again");
                    return;
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "could not start the " + name + " socket again (retrying in " + pause.toMillis()
                            + " ms): " + e);
                }
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    /**
     * Stops the socket: no new connection is taken, connections finish what they are doing within the server's
     * shutdown grace period.
     */
    @Override
    public void close() {
        closed = true;
        HELIDON_LISTENER.removeHandler(deathNotice);
        java.util.concurrent.locks.LockSupport.unpark(guardian);
        synchronized (lock) {
            up = false;
            server.stop();
        }
    }
}
