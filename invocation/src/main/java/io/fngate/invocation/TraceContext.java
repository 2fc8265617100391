package io.fngate.invocation;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) for one request: the client's trace, continued, or a
 * new one. The gateway's own span gets a new id, which the container receives as its parent in a new
 * {@code traceparent}; the client's {@code tracestate} goes along unchanged (and is dropped when the client's
 * {@code traceparent} is missing or invalid, as the spec asks). A new trace is sampled when the listener says it
 * records it ({@link InvocationListener#sampleNewTrace()}). Nothing is recorded or exported here.
 *
 * @param traceId  32 lower-case hex digits, not all zero
 * @param spanId   the gateway's span: 16 lower-case hex digits, not all zero
 * @param parentId the client's span, when it sent a valid {@code traceparent}
 * @param flags    trace flags, 2 hex digits (the client's; for a trace the gateway starts {@code 01} when sampled,
 *                 else {@code 00})
 */
record TraceContext(String traceId, String spanId, Optional<String> parentId, String flags) {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * @param traceparent the client's header, if any
     * @return the client's trace continued with a new span, or a new trace (not sampled) when the header is
     *         absent or invalid
     */
    static TraceContext from(Optional<String> traceparent) {
        return from(traceparent, false);
    }

    /**
     * @param traceparent the client's header, if any
     * @param sampleNew   whether a trace the gateway starts is sampled
     * @return the client's trace continued with a new span, or a new trace when the header is absent or invalid
     */
    static TraceContext from(Optional<String> traceparent, boolean sampleNew) {
        if (traceparent.isPresent()) {
            String h = traceparent.get().trim();
            // version-format: 2 hex, then trace-id (32), parent-id (16), flags (2), each after a dash; a future
            // version may append fields after a further dash, version 00 must end there; ff is invalid
            if (h.length() >= 55 && h.charAt(2) == '-' && h.charAt(35) == '-' && h.charAt(52) == '-'
                    && lowerHex(h, 0, 2) && lowerHex(h, 3, 35) && lowerHex(h, 36, 52) && lowerHex(h, 53, 55)
                    && !h.startsWith("ff") && (h.length() == 55 || !h.startsWith("00") && h.charAt(55) == '-')
                    && !zero(h, 3, 35) && !zero(h, 36, 52)) {
                return new TraceContext(h.substring(3, 35), newId(8), Optional.of(h.substring(36, 52)),
                        h.substring(53, 55));
            }
        }
        return new TraceContext(newId(16), newId(8), Optional.empty(), sampleNew ? "01" : "00");
    }

    /**
     * @return whether the trace is sampled (flag bit 0)
     */
    boolean sampled() {
        return (Character.digit(flags.charAt(1), 16) & 1) == 1;
    }

    /**
     * @return the context as the record tells it
     */
    InvocationRecord.Trace record() {
        return new InvocationRecord.Trace(traceId, spanId, parentId, sampled());
    }

    /**
     * @return the {@code traceparent} to send to the container: same trace, the gateway's span as parent
     */
    String childHeader() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    /**
     * @return whether the client's trace is continued (so its {@code tracestate} is forwarded)
     */
    boolean continued() {
        return parentId.isPresent();
    }

    private static boolean lowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** Random hex id of {@code bytes} bytes, never all zero. */
    static String newId(int bytes) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[bytes * 2];
        long word = 0;
        for (int i = 0; i < bytes; i++) {
            if (i % 8 == 0) {
                do {
                    word = r.nextLong();
                } while (word == 0 && i == 0);
            }
            int b = (int) (word >>> ((i % 8) * 8)) & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(out);
    }
}
