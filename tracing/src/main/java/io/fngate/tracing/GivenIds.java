package io.fngate.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Span and trace ids for the SDK: the ones the gateway already gave the container, for the invocation span
 * (set on the building thread just before it starts), random ones for everything else. The SDK offers no other
 * way to start a span under an id chosen earlier.
 */
final class GivenIds implements IdGenerator {
    static final GivenIds INSTANCE = new GivenIds();
    private static final ThreadLocal<String[]> NEXT = new ThreadLocal<>();

    private GivenIds() {
    }

    static void next(String traceId, String spanId) {
        NEXT.set(new String[] {traceId, spanId});
    }

    static void clear() {
        NEXT.remove();
    }

    @Override
    public String generateSpanId() {
        String[] given = NEXT.get();
        return given != null ? given[1] : IdGenerator.random().generateSpanId();
    }

    @Override
    public String generateTraceId() {
        String[] given = NEXT.get();
        return given != null ? given[0] : IdGenerator.random().generateTraceId();
    }
}
