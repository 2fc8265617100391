package io.fngate.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

class BodyRelayTest {

    /** A source scripted as chunks and silences; a silence advances the fake clock by the read timeout. */
    private static final class Script extends InputStream {
        private final Deque<String> steps;
        private final MutableClock clock;
        private Duration timeout = Duration.ZERO;

        Script(MutableClock clock, String... steps) {
            this.clock = clock;
            this.steps = new ArrayDeque<>(List.of(steps));
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            String step = steps.poll();
            if (step == null) {
                return -1;
            }
            if (step.equals("SILENCE")) {
                clock.now = clock.now.plus(timeout);
                throw new SocketTimeoutException();
            }
            if (step.equals("RESET")) {
                throw new IOException("connection reset");
            }
            byte[] bytes = step.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, b, off, bytes.length);
            return bytes.length;
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records what was written and how many flushes happened after each write. */
    private static final class Recorder extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> flushed = new ArrayList<>();
        private int mark;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            String all = bytes.toString(StandardCharsets.UTF_8);
            flushed.add(all.substring(mark));
            mark = all.length();
        }
    }

    private final MutableClock clock = new MutableClock();

    private BodyRelay relay(Script source, boolean sse, Duration total) {
        return BodyRelay.builder()
                .clock(clock)
                .deadline(clock.now.plus(total))
                .eventStream(sse)
                .keepAlive(Duration.ofSeconds(5))
                .readTimeout(d -> source.timeout = d)
                .build();
    }

    @Test
    void eachChunkIsFlushedWhenNothingMoreIsReady() {
        Script source = new Script(clock, "data: 1\n\n", "data: 2\n\n");
        Recorder out = new Recorder();
        RelayResult result = relay(source, true, Duration.ofHours(1)).relay(source, out);
        assertEquals(RelayResult.Outcome.COMPLETED, result.outcome());
        assertEquals(List.of("data: 1\n\n", "data: 2\n\n", ""), out.flushed);
        assertEquals(18, result.bytes());
    }

    @Test
    void silenceBetweenEventsWritesKeepAliveComment() {
        Script source = new Script(clock, "data: 1\n\n", "SILENCE", "data: 2\n\n");
        Recorder out = new Recorder();
        relay(source, true, Duration.ofHours(1)).relay(source, out);
        assertEquals("data: 1\n\n: keep-alive\n\ndata: 2\n\n", out.bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void silenceInsideAnEventWritesNothing() {
        Script source = new Script(clock, "data: 1\n", "SILENCE", "data: 2\n\n");
        Recorder out = new Recorder();
        relay(source, true, Duration.ofHours(1)).relay(source, out);
        assertEquals("data: 1\ndata: 2\n\n", out.bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nonEventStreamsGetNoCommentsAndWaitUntilTheDeadline() {
        Script source = new Script(clock, "{\"a\":1}\n", "SILENCE", "{\"a\":2}\n");
        Recorder out = new Recorder();
        RelayResult result = relay(source, false, Duration.ofHours(1)).relay(source, out);
        assertEquals(RelayResult.Outcome.DEADLINE, result.outcome());
        assertEquals("{\"a\":1}\n", out.bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void deadlineEndsAnEndlessStreamCleanly() {
        Script source = new Script(clock, "data: 1\n\n", "SILENCE", "SILENCE", "SILENCE", "data: never\n\n");
        Recorder out = new Recorder();
        RelayResult result = relay(source, true, Duration.ofSeconds(12)).relay(source, out);
        assertEquals(RelayResult.Outcome.DEADLINE, result.outcome());
        assertEquals("data: 1\n\n: keep-alive\n\n: keep-alive\n\n", out.bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void upstreamFailureAndClientFailureAreTold() {
        Script broken = new Script(clock, "data: 1\n", "RESET");
        assertEquals(RelayResult.Outcome.UPSTREAM_FAILED,
                relay(broken, true, Duration.ofHours(1)).relay(broken, new Recorder()).outcome());
        Script fine = new Script(clock, "data: 1\n\n");
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        assertEquals(RelayResult.Outcome.CLIENT_GONE, relay(fine, true, Duration.ofHours(1)).relay(fine, gone).outcome());
    }
}
