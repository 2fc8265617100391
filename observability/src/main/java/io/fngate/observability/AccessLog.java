package io.fngate.observability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fngate.edge.EdgeAnswer;
import io.fngate.edge.EdgeListener;
import io.fngate.invocation.InvocationListener;
import io.fngate.invocation.InvocationRecord;

/**
 * The access log: one JSON line per finished request or stream (see {@link AccessLogLine} for the fields),
 * written by one thread of its own. A request thread only adds its record to a bounded queue: when the writer
 * falls behind and the queue is full, the record is dropped and counted ({@link #dropped()}), never waited for.
 * <p>
 * The writer is never woken by a request: it wakes every {@value #TICK_MILLIS} ms, writes what has queued up in
 * batches and flushes once the queue is empty. Waking it per record (a blocking queue's signal) cost a futex call
 * and a thread switch per request, which on a one-core machine was most of the access log's cost; a line now
 * reaches its target at most a tick after its request ended.
 * <p>
 * Not responsible for rotation: a file target is opened for appending once, so rotate by copying and truncating
 * (logrotate's {@code copytruncate}), or log to stdout and let the platform collect it.
 */
public final class AccessLog implements InvocationListener, EdgeListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
    /** Records formatted into one write. */
    private static final int BATCH = 256;
    static final int TICK_MILLIS = 10;
    /** Bytes a write to a pipe keeps whole on Linux (PIPE_BUF). */
    static final int ATOMIC_WRITE = 4096;

    /** Unbounded itself; {@link #queued} bounds it. Lock-free: a request never parks to add its record. */
    /** {@link InvocationRecord}s and {@link EdgeAnswer}s, in the order they ended. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final OutputStream out;
    private final boolean closeOut;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread writer;
    /** Lines are valid UTF-16 ({@link AccessLogLine} escapes lone surrogates): nothing is ever replaced. */
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private char[] charArray = new char[BATCH * 512];
    private volatile boolean closed;

    private AccessLog(OutputStream out, boolean closeOut, int queueSize) {
        this.capacity = queueSize;
        this.out = out;
        this.closeOut = closeOut;
        this.writer = Thread.ofPlatform().daemon().name("fngate-access-log").unstarted(this::writeForever);
        writer.start();
    }

    /**
     * @param target    where lines go; must not be {@code OFF}
     * @param queueSize records that may wait for the writer
     * @return a running access log; close it to write what is queued and stop
     * @throws IllegalArgumentException when a file target cannot be opened
     */
    public static AccessLog create(ObservabilitySettings.Target target, int queueSize) {
        return switch (target.kind()) {
        case STDOUT -> new AccessLog(new FileOutputStream(FileDescriptor.out), false, queueSize);
        case STDERR -> new AccessLog(new FileOutputStream(FileDescriptor.err), false, queueSize);
        case FILE -> {
            try {
                yield new AccessLog(Files.newOutputStream(target.file().orElseThrow(), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE), true, queueSize);
            } catch (IOException e) {
                throw new IllegalArgumentException("observability.access-log.target: cannot open "
                        + target.file().orElseThrow() + ": " + e.getMessage(), e);
            }
        }
        case OFF -> throw new IllegalArgumentException("target: off (expected: somewhere to write)");
        };
    }

    /**
     * An access log writing to the given stream (tests).
     *
     * @param out       where lines go; not closed
     * @param queueSize records that may wait for the writer
     * @return a running access log
     */
    static AccessLog create(OutputStream out, int queueSize) {
        return new AccessLog(out, false, queueSize);
    }

    @Override
    public void completed(InvocationRecord record) {
        enqueue(record);
    }

    /** A request the edge or Helidon answered before a handler ran: one line like any other. */
    @Override
    public void answered(EdgeAnswer answer) {
        enqueue(answer);
    }

    private void enqueue(Object record) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(record);
    }

    /**
     * @return records not written because the queue was full (or the log closed)
     */
    public long dropped() {
        return dropped.get();
    }

    /**
     * @return lines written so far
     */
    public long written() {
        return written.get();
    }

    private void writeForever() {
        AccessLogLine line = new AccessLogLine();
        StringBuilder text = new StringBuilder(BATCH * 400);
        boolean unflushed = false;
        while (true) {
            boolean stop = closed;   // read before draining: what was queued before close is written
            int n = 0;
            Object r;
            while ((r = queue.poll()) != null) {
                queued.decrementAndGet();
                int mark = text.length();
                try {
                    if (r instanceof InvocationRecord record) {
                        line.append(text, record);
                    } else {
                        line.append(text, (EdgeAnswer) r);
                    }
                    n++;
                } catch (RuntimeException e) {
                    text.setLength(mark);
                    LOG.log(Level.WARNING, "access log: a line could not be formatted", e);
                }
                if (n == BATCH) {
                    write(text, false);
                    written.addAndGet(n);
                    text.setLength(0);
                    n = 0;
                    unflushed = true;
                }
            }
            if (n > 0 || unflushed) {
                write(text, true);
                written.addAndGet(n);
                text.setLength(0);
                unflushed = false;
            }
            if (stop) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
        }
    }

    /** Encodes through one reused buffer (no String or byte[] per batch): only the writer thread calls this. */
    private void write(StringBuilder text, boolean flush) {
        try {
            if (!text.isEmpty()) {
                // an array-backed buffer: the encoder's fast loop (a StringBuilder would be read char by char)
                if (charArray.length < text.length()) {
                    charArray = new char[text.length() * 2];
                }
                text.getChars(0, text.length(), charArray, 0);
                CharBuffer chars = CharBuffer.wrap(charArray, 0, text.length());
                utf8.reset();
                CoderResult result;
                do {
                    result = utf8.encode(chars, bytes, true);
                    // whole lines only: the bytes of a line cut by a full buffer wait for the next round
                    int whole = lastNewline(bytes.array(), bytes.position()) + 1;
                    if (whole == 0 && result.isOverflow()) {
                        whole = bytes.position(); // one line longer than the buffer: it cannot stay whole
                    }
                    writeLines(bytes.array(), whole);
                    bytes.flip().position(whole);
                    bytes.compact();
                } while (result.isOverflow());
                if (bytes.position() > 0) {
                    writeLines(bytes.array(), bytes.position());
                    bytes.clear();
                }
            }
            if (flush) {
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "access log: write failed: " + e.getMessage());
        }
    }

    /**
     * Writes whole lines in pieces of at most {@link #ATOMIC_WRITE} bytes. The log often shares a pipe with the
     * process's other output (stdout and stderr collected together): a write to a pipe is atomic only up to
     * PIPE_BUF (4096 bytes on Linux), and a larger one could have another writer's line spliced into the middle
     * of an access-log line. A single line longer than that is written alone.
     */
    private void writeLines(byte[] b, int len) throws IOException {
        int off = 0;
        while (off < len) {
            int end = Math.min(len, off + ATOMIC_WRITE);
            if (end < len) {
                int nl = lastNewline(b, end);
                end = nl >= off ? nl + 1 : Math.max(end, nextNewline(b, end, len) + 1);
            }
            out.write(b, off, end - off);
            off = end;
        }
    }

    /** Index of the last newline in b[0, end), or -1. */
    private static int lastNewline(byte[] b, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first newline in b[from, end), or end - 1 when there is none. */
    private static int nextNewline(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return end - 1;
    }

    /**
     * Stops taking records, writes what is queued (waiting at most 5 s) and closes a file target.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a record added by a request that saw the log open just as it closed: counted, not lost silently
        dropped.addAndGet(queued.getAndSet(0));
        LOG.log(dropped.get() > 0 ? Level.WARNING : Level.INFO,
                "access log closed: " + written.get() + " line(s) written, " + dropped.get() + " dropped");
        try {
            out.flush();
            if (closeOut) {
                out.close();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "access log: closing failed: " + e.getMessage());
        }
    }
}
