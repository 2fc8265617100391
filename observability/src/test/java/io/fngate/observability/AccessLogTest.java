package io.fngate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void aStalledWriterDropsAndCountsInsteadOfBlockingTheRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                synchronized (written) {
                    written.write(b, off, len);
                }
            }
        };
        AccessLog log = AccessLog.create(stalled, 8);
        long t0 = System.nanoTime();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < 1000; i++) {
                    log.completed(AccessLogLineTest.record("/p", "ua", Optional.empty()));
                }
            }, "a request thread waited for the writer");
        } finally {
            release.countDown();
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs < 1000, "1000 records offered in " + tookMs + " ms");
        // the writer holds at most one batch, the queue 8: the rest is dropped and counted
        assertTrue(log.dropped() >= 1000 - 8 - 256, "dropped " + log.dropped());
        log.close();
        long lines = written.toString(StandardCharsets.UTF_8).lines().count();
        assertEquals(1000, lines + log.dropped(), "every record is written or counted as dropped");
    }

    @Test
    void closeWritesWhatIsQueued() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog log = AccessLog.create(out, 1000);
        for (int i = 0; i < 500; i++) {
            log.completed(AccessLogLineTest.record("/p", "ua", Optional.empty()));
        }
        log.close();
        assertEquals(500, out.toString(StandardCharsets.UTF_8).lines().count());
        assertEquals(0, log.dropped());
        log.completed(AccessLogLineTest.record("/p", "ua", Optional.empty()));
        assertEquals(1, log.dropped(), "after close: counted, not written");
    }

    @Test
    void edgeAnswersAreLinesInTheOrderTheyEnded() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog log = AccessLog.create(out, 1000);
        java.util.UUID edgeId = java.util.UUID.randomUUID();
        log.completed(AccessLogLineTest.record("/first", "ua", Optional.empty()));
        log.answered(new io.fngate.edge.EdgeAnswer(java.time.Instant.now(),
                new io.fngate.edge.ProblemDetails(431, "header-fields-too-large", "t", "d", edgeId),
                Optional.empty(), Optional.empty(), Optional.of("10.0.0.1"), Optional.empty(), Optional.empty()));
        log.completed(AccessLogLineTest.record("/last", "ua", Optional.empty()));
        log.close();
        java.util.List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(true, lines.get(0).contains("\"path\":\"/first\""), lines.get(0));
        assertEquals(true, lines.get(1).contains("\"requestId\":\"" + edgeId + "\"")
                && lines.get(1).contains("\"status\":431,\"error\":\"header-fields-too-large\""), lines.get(1));
        assertEquals(true, lines.get(2).contains("\"path\":\"/last\""), lines.get(2));
    }

    @Test
    void everyWriteIsWholeLinesThatAPipeKeepsWhole() {
        // stdout is often a pipe shared with the process's log: a write over PIPE_BUF could be interleaved
        java.util.List<byte[]> writes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
        AccessLog log = AccessLog.create(recording, 10_000);
        String agent = "agent-\u00e9-" + "x".repeat(300); // non-ASCII: bytes are not chars
        for (int i = 0; i < 2000; i++) {
            log.completed(AccessLogLineTest.record("/p/" + i, agent, Optional.empty()));
        }
        log.close();
        long lines = 0;
        for (byte[] w : writes) {
            assertTrue(w.length <= AccessLog.ATOMIC_WRITE, "a write of " + w.length + " bytes");
            assertEquals('\n', w[w.length - 1], "a write that ends inside a line");
            lines += new String(w, StandardCharsets.UTF_8).lines().count();
        }
        assertEquals(2000, lines);
        assertTrue(writes.size() < 2000, "lines are still batched: " + writes.size() + " writes");
    }
}
