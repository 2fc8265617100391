package io.fngate.server;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * Default connection limits derived from the process's file descriptor limit, so that clients alone can never
 * exhaust it: every client connection may need an upstream connection beside it, and the process needs some
 * descriptors of its own (jars, logs, the store, epoll, the admin socket).
 * <p>
 * Not responsible for raising the limit: {@code ./fngate} raises the soft limit to the hard one, and the JVM
 * does too by default ({@code -XX:+MaxFDLimit}).
 */
final class FdBudget {
    /** Descriptors kept for the process itself. */
    static final int RESERVED = 128;

    private FdBudget() {
    }

    /**
     * @return the process's file descriptor limit, when the platform tells it
     */
    static OptionalLong limit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return OptionalLong.of(u.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }

    /**
     * Client connections (or concurrent requests) one listener may hold: under half of what the process has
     * after its reserve, the other half for upstream connections; at least 16.
     *
     * @param fdLimit the process's limit
     * @return the limit for client connections
     */
    static int clientConnections(long fdLimit) {
        long usable = Math.max(0, fdLimit - RESERVED);
        return (int) Math.max(16, Math.min(Integer.MAX_VALUE, usable * 45 / 100));
    }
}
