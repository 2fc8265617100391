package io.fngate.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BodyRelayTest {

    /**
     * A source scripted as chunks and silences. SILENCE: the read times out, and the fake clock advances by the
     * read timeout. PAUSE: the next chunk comes after a real 150 ms (the ticker's keep-alive interval is 50 ms).
     * BLOCK: the read waits until the relay aborts the upstream, then fails.
     */
    private static final class Script extends InputStream {
        private final Deque<String> steps;
        private final MutableClock clock;
        private final CountDownLatch aborted = new CountDownLatch(1);
        private Duration timeout = Duration.ZERO;

        Script(MutableClock clock, String... steps) {
            this.clock = clock;
            this.steps = new ArrayDeque<>(List.of(steps));
        }

        /** The rest of the step being read (an event stream reads a step's first byte alone). */
        private byte[] pending = new byte[0];
        private int pos;
        /** Whether a read waited (PAUSE or BLOCK) while the reader held a buffer of its own. */
        private boolean waitedHoldingBuffer;

        @Override
        public int read() throws IOException {
            if (pos == pending.length && !next(false)) {
                return -1;
            }
            return pending[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == pending.length && !next(true)) {
                return -1;
            }
            int n = Math.min(len, pending.length - pos);
            System.arraycopy(pending, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return pending.length - pos;
        }

        private boolean next(boolean holdingBuffer) throws IOException {
            String step = steps.poll();
            if (step == null) {
                return false;
            }
            if (step.equals("PAUSE") || step.equals("BLOCK")) {
                waitedHoldingBuffer |= holdingBuffer;
            }
            if (step.equals("SILENCE")) {
                clock.now = clock.now.plus(timeout);
                throw new SocketTimeoutException();
            }
            if (step.equals("PAUSE")) {
                sleep(150);
                return next(holdingBuffer);
            }
            if (step.equals("BLOCK")) {
                try {
                    if (!aborted.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never aborted");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                throw new IOException("aborted");
            }
            if (step.equals("RESET")) {
                throw new IOException("connection reset");
            }
            pending = step.getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
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
        final List<String> writes = new ArrayList<>();
        private int mark;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            String all = bytes.toString(StandardCharsets.UTF_8);
            flushed.add(all.substring(mark));
            mark = all.length();
        }
    }

    private final MutableClock clock = new MutableClock();
    private final RelayTicker ticker = RelayTicker.start(Duration.ofMillis(5));

    @AfterEach
    void stopTicker() {
        ticker.close();
    }

    private BodyRelay relay(Script source, boolean sse, Duration total) {
        return builder(source, sse, total).build();
    }

    private BodyRelay.Builder builder(Script source, boolean sse, Duration total) {
        return BodyRelay.builder()
                .clock(clock)
                .deadline(clock.now.plus(total))
                .eventStream(sse)
                .keepAlive(Duration.ofMillis(50))
                .readTimeout(d -> source.timeout = d)
                .keepAliveBy(ticker, source.aborted::countDown);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
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
    void anEventThatArrivedWholeLeavesInOneWrite() {
        // the relay reads an event stream's first byte alone; what came with it must go out in the same write
        // (with no response buffer in Helidon, each write is a packet)
        Script source = new Script(clock, "data: 1\n\n", "data: 22\n\n");
        Recorder out = new Recorder();
        relay(source, true, Duration.ofHours(1)).relay(source, out);
        assertEquals(List.of("data: 1\n\n", "data: 22\n\n"), out.writes);
    }

    @Test
    void aWaitingEventStreamHoldsNoBuffer() {
        Script events = new Script(clock, "data: 1\n\n", "PAUSE", "data: 2\n\n");
        Recorder out = new Recorder();
        relay(events, true, Duration.ofHours(1)).relay(events, out);
        assertFalse(events.waitedHoldingBuffer, "an event stream waited for its next event holding a buffer");
        assertTrue(out.bytes.toString(StandardCharsets.UTF_8).endsWith("data: 2\n\n"));
        // any other body keeps its buffer: its reads are large and back to back
        Script body = new Script(clock, "{\"a\":1}\n", "PAUSE", "{\"a\":2}\n");
        relay(body, false, Duration.ofHours(1)).relay(body, new Recorder());
        assertTrue(body.waitedHoldingBuffer);
    }

    @Test
    void silenceBetweenEventsWritesKeepAliveComments() {
        Script source = new Script(clock, "data: 1\n\n", "PAUSE", "data: 2\n\n");
        Recorder out = new Recorder();
        relay(source, true, Duration.ofHours(1)).relay(source, out);
        String body = out.bytes.toString(StandardCharsets.UTF_8);
        assertTrue(body.matches("data: 1\n\n(: keep-alive\n\n)+data: 2\n\n"), body);
    }

    @Test
    void silenceInsideAnEventWritesNothing() {
        Script source = new Script(clock, "data: 1\n", "PAUSE", "data: 2\n\n");
        Recorder out = new Recorder();
        relay(source, true, Duration.ofHours(1)).relay(source, out);
        assertEquals("data: 1\ndata: 2\n\n", out.bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nothingIsWrittenAfterTheRelayEnds() {
        Script source = new Script(clock, "data: 1\n\n");
        Recorder out = new Recorder();
        relay(source, true, Duration.ofHours(1)).relay(source, out);
        sleep(150);
        assertEquals("data: 1\n\n", out.bytes.toString(StandardCharsets.UTF_8));
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
    void aNonEventStreamSilentForTheIdleTimeoutIsStalled() {
        Script source = new Script(clock, "{\"a\":1}\n", "SILENCE", "{\"a\":2}\n");
        RelayResult result = builder(source, false, Duration.ofHours(1)).idleTimeout(Duration.ofSeconds(30)).build()
                .relay(source, new Recorder());
        assertEquals(RelayResult.Outcome.UPSTREAM_STALLED, result.outcome());
        assertEquals(Duration.ofSeconds(30), source.timeout);
    }

    @Test
    void anEventStreamReadsUntilTheDeadlineWhichEndsItCleanly() {
        Script source = new Script(clock, "data: 1\n\n", "SILENCE", "data: never\n\n");
        Recorder out = new Recorder();
        RelayResult result = relay(source, true, Duration.ofSeconds(12)).relay(source, out);
        assertEquals(RelayResult.Outcome.DEADLINE, result.outcome());
        assertEquals(Duration.ofSeconds(12), source.timeout); // the ticker fills silences, not a read timeout
        assertEquals("data: 1\n\n", out.bytes.toString(StandardCharsets.UTF_8));
        assertEquals("", out.flushed.getLast());
    }

    @Test
    void aKeepAliveThatFindsTheClientGoneAbortsTheUpstreamAndEndsTheRelay() {
        Script source = new Script(clock, "data: 1\n\n", "BLOCK");
        OutputStream goneAfterFirstEvent = new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written > 0) {
                    throw new IOException("broken pipe");
                }
                written += len;
            }
        };
        RelayResult result = relay(source, true, Duration.ofHours(1)).relay(source, goneAfterFirstEvent);
        assertEquals(RelayResult.Outcome.CLIENT_GONE, result.outcome());
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
