package io.fngate.edge;

/**
 * Told of every problem answer the edge or Helidon gives on an edge-fronted listener before a handler runs
 * ({@link EdgeAnswer}). Called on the connection's thread or the edge's watchdog thread, after the answer was
 * written: it must be quick and must not block (hand the answer to a queue). What it throws is logged and
 * otherwise ignored.
 * <p>
 * Not told of answers a handler makes (the handler reports those itself), nor of connections closed without an
 * answer (idle, reset, failed TLS handshakes).
 */
@FunctionalInterface
public interface EdgeListener {
    /** A listener that ignores every answer. */
    EdgeListener NONE = answer -> { };

    /**
     * @param answer the answer just given
     */
    void answered(EdgeAnswer answer);
}
