package io.fngate.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aValidTraceparentIsContinuedWithANewSpan() {
        TraceContext t = TraceContext.from(Optional.of("00-" + TRACE + "-00f067aa0ba902b7-01"));
        assertTrue(t.continued());
        assertEquals(TRACE, t.traceId());
        assertEquals(Optional.of("00f067aa0ba902b7"), t.parentId());
        assertNotEquals("00f067aa0ba902b7", t.spanId());
        assertTrue(t.childHeader().matches("00-" + TRACE + "-[0-9a-f]{16}-01"), t.childHeader());
        assertEquals(t.spanId(), t.childHeader().substring(36, 52));
    }

    @Test
    void aFutureVersionMayCarryMoreFields() {
        TraceContext t = TraceContext.from(Optional.of("cc-" + TRACE + "-00f067aa0ba902b7-09-more-stuff"));
        assertTrue(t.continued());
        assertTrue(t.childHeader().startsWith("00-" + TRACE + "-"), "sent as version 00");
        assertTrue(t.childHeader().endsWith("-09"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x", // version 00 with more
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",    // short trace id
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g"
    })
    void anInvalidTraceparentStartsANewTrace(String header) {
        TraceContext t = TraceContext.from(Optional.of(header));
        assertFalse(t.continued(), header);
        assertTrue(t.traceId().matches("[0-9a-f]{32}") && !t.traceId().equals("0".repeat(32)), t.traceId());
        assertTrue(t.childHeader().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"), t.childHeader());
    }

    @Test
    void newIdsAreRandomHexNeverZero() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            TraceContext t = TraceContext.from(Optional.empty());
            assertTrue(seen.add(t.traceId()));
            assertTrue(t.spanId().matches("[0-9a-f]{16}") && !t.spanId().equals("0".repeat(16)));
        }
    }
}
