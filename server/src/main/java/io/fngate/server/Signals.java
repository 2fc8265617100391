package io.fngate.server;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT drain the gateway and exit 0, as Kubernetes and systemd expect from a graceful stop (a JVM
 * left to its default handling runs shutdown hooks and exits 143). A second signal while draining stops at once.
 * <p>
 * Not responsible for how the drain goes: {@link Gateway#shutdown(java.time.Duration)}.
 */
final class Signals {
    private static final Logger LOG = Logger.getLogger(Signals.class.getName());

    private Signals() {
    }

    /**
     * @param gateway what to drain
     * @param after   run after the drain, before the exit (stops the demo function)
     */
    static void drainOnTerm(Gateway gateway, Runnable after) {
        AtomicBoolean draining = new AtomicBoolean();
        SignalHandler handler = signal -> {
            if (!draining.compareAndSet(false, true)) {
                LOG.warning("second SIG" + signal.getName() + " while draining: stopping now");
                Runtime.getRuntime().halt(1);
            }
            LOG.info("SIG" + signal.getName() + ": draining (grace period " + gateway.gracePeriod().toSeconds()
                    + " s)");
            // not a daemon, as a signal handler's thread and what it starts would be: once the sockets close,
            // Helidon's threads end, and a JVM left with daemon threads only exits on its own, before the drain
            // has written the last access-log lines (and stopped logging midway)
            Thread.ofPlatform().daemon(false).name("fngate-shutdown").start(() -> {
                try {
                    gateway.shutdown(gateway.gracePeriod());
                    after.run();
                } catch (RuntimeException | Error e) {
                    // System.exit in the finally would end the JVM before an uncaught exception is printed
                    LOG.log(java.util.logging.Level.SEVERE, "shutdown failed", e);
                } finally {
                    System.exit(0);
                }
            });
        };
        try {
            Signal.handle(new Signal("TERM"), handler);
            Signal.handle(new Signal("INT"), handler);
        } catch (IllegalArgumentException e) {
            // the platform does not let us handle these signals: drain from a shutdown hook instead
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.shutdown(gateway.gracePeriod());
                after.run();
            }));
        }
    }
}
