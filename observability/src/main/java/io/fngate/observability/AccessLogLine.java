package io.fngate.observability;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.fngate.edge.EdgeAnswer;
import io.fngate.invocation.InvocationRecord;

/**
 * Formats one access-log line by hand: a JSON object on one line, fields always in this order, absent values
 * as {@code null} (see README, "Access log"). Strings the client chose (path, user agent) are escaped as JSON
 * requires: quote, backslash and control characters. Not thread-safe: one per writer.
 */
final class AccessLogLine {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    void append(StringBuilder b, InvocationRecord r) {
        b.append("{\"time\":\"");
        time(b, r.start().toEpochMilli());
        b.append("\",\"requestId\":\"").append(r.requestId()).append('"');
        b.append(",\"traceId\":\"").append(r.trace().traceId()).append('"');
        b.append(",\"function\":");
        uuid(b, r.functionId());
        b.append(",\"version\":");
        uuid(b, r.versionId());
        b.append(",\"instance\":");
        if (r.instance().isPresent()) {
            string(b, r.instance().get().url().toString());
        } else {
            b.append("null");
        }
        b.append(",\"method\":");
        string(b, r.method());
        b.append(",\"path\":");
        string(b, r.path());
        b.append(",\"status\":").append(r.status());
        b.append(",\"error\":");
        if (r.error().isPresent()) {
            b.append('"').append(r.error().get().label()).append('"');
        } else {
            b.append("null");
        }
        b.append(",\"outcome\":\"").append(r.outcome().label()).append('"');
        b.append(",\"bytesIn\":").append(r.bytesIn());
        b.append(",\"bytesOut\":").append(r.bytesOut());
        b.append(",\"firstByteMs\":");
        millis(b, r.firstByte());
        b.append(",\"durationMs\":");
        millis(b, r.duration());
        b.append(",\"queueMs\":");
        millis(b, r.queueWait().orElse(null));
        b.append(",\"client\":");
        string(b, r.clientAddress());
        b.append(",\"userAgent\":");
        string(b, r.userAgent());
        b.append("}\n");
    }

    /**
     * The line of a request the platform answered before any handler (see {@link EdgeAnswer}): the same fields in
     * the same order; nothing was routed, relayed or traced, and a value the edge did not know is null.
     */
    void append(StringBuilder b, EdgeAnswer a) {
        b.append("{\"time\":\"");
        time(b, a.start().toEpochMilli());
        b.append("\",\"requestId\":\"").append(a.problem().requestId()).append('"');
        b.append(",\"traceId\":null,\"function\":null,\"version\":null,\"instance\":null,\"method\":");
        string(b, a.method());
        b.append(",\"path\":");
        string(b, a.path());
        b.append(",\"status\":").append(a.problem().status());
        b.append(",\"error\":");
        string(b, a.problem().label());
        b.append(",\"outcome\":\"").append(InvocationRecord.Outcome.PLATFORM_ERROR.label()).append('"');
        b.append(",\"bytesIn\":0,\"bytesOut\":0,\"firstByteMs\":null,\"durationMs\":");
        millis(b, a.elapsed());
        b.append(",\"queueMs\":null,\"client\":");
        string(b, a.client());
        b.append(",\"userAgent\":");
        string(b, a.userAgent());
        b.append("}\n");
    }

    private static void string(StringBuilder b, java.util.Optional<String> s) {
        if (s.isPresent()) {
            string(b, s.get());
        } else {
            b.append("null");
        }
    }

    private static void uuid(StringBuilder b, java.util.Optional<java.util.UUID> id) {
        if (id.isPresent()) {
            b.append('"').append(id.get()).append('"');
        } else {
            b.append("null");
        }
    }

    private static void millis(StringBuilder b, java.util.Optional<Duration> d) {
        millis(b, d.orElse(null));
    }

    /** Milliseconds with three decimals (microsecond resolution), or null. */
    private static void millis(StringBuilder b, Duration d) {
        if (d == null) {
            b.append("null");
            return;
        }
        long micros = Math.max(0, d.toNanos() / 1000);
        b.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }

    /** UTC, ISO-8601 with milliseconds: 2026-11-30T06:27:58.123Z. */
    static void time(StringBuilder b, long epochMillis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
                (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC);
        b.append(t.getYear()).append('-');
        two(b, t.getMonthValue());
        b.append('-');
        two(b, t.getDayOfMonth());
        b.append('T');
        two(b, t.getHour());
        b.append(':');
        two(b, t.getMinute());
        b.append(':');
        two(b, t.getSecond());
        b.append('.');
        int ms = t.getNano() / 1_000_000;
        b.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
        b.append('Z');
    }

    private static void two(StringBuilder b, int v) {
        b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** A JSON string: quote, backslash and every control character escaped. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '"' -> b.append("\\\"");
            case '\\' -> b.append("\\\\");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default -> {
                if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validPair(s, i)) {
                    // control characters, and lone surrogates (never written as broken UTF-8)
                    b.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                } else {
                    b.append(c);
                }
            }
            }
        }
        b.append('"');
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
