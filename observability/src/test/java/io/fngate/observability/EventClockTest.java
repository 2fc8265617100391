package io.fngate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class EventClockTest {

    private static int events(String text, int chunk) {
        EventClock c = new EventClock();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        for (int i = 0; i < b.length; i += chunk) {
            n += c.accept(b, i, Math.min(chunk, b.length - i));
        }
        return n;
    }

    @Test
    void anEventEndsAtAnEmptyLineWhateverTheLineEnding() {
        String lf = "data: a\n\nid: 2\ndata: b\n\n";
        String crlf = "data: a\r\n\r\nid: 2\r\ndata: b\r\n\r\n";
        String cr = "data: a\r\rid: 2\rdata: b\r\r";
        for (int chunk : new int[] {1, 3, 100}) {
            assertEquals(2, events(lf, chunk));
            assertEquals(2, events(crlf, chunk));
            assertEquals(2, events(cr, chunk));
        }
    }

    @Test
    void commentsAndBlankLinesMakeNoEvent() {
        assertEquals(0, events(": keep-alive\n\n\n\n: ping\n\n", 1));
        assertEquals(1, events(": hello\ndata: x\n\n", 2));
        assertEquals(0, events("data: not finished\n", 4));
    }
}
