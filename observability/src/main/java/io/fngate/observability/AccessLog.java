package io.fngate.observability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fngate.invocation.InvocationListener;
import io.fngate.invocation.InvocationRecord;

/**
 * The access log: one JSON line per finished request or stream (see {@link AccessLogLine} for the fields),
 * written by one thread of its own. A request thread only offers its record to a bounded queue: when the writer
 * falls behind and the queue is full, the record is dropped and counted ({@link #dropped()}), never waited for.
 * Lines are flushed whenever the queue runs empty.
 * <p>
 * Not responsible for rotation: a file target is opened for appending once, so rotate by copying and truncating
 * (logrotate's {@code copytruncate}), or log to stdout and let the platform collect it.
 */
public final class AccessLog implements InvocationListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
    private static final int BATCH = 256;

    private final ArrayBlockingQueue<InvocationRecord> queue;
    private final OutputStream out;
    private final boolean closeOut;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    private AccessLog(OutputStream out, boolean closeOut, int queueSize) {
        this.queue = new ArrayBlockingQueue<>(queueSize);
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
        if (closed || !queue.offer(record)) {
            dropped.incrementAndGet();
        }
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
        List<InvocationRecord> batch = new ArrayList<>(BATCH);
        AccessLogLine line = new AccessLogLine();
        StringBuilder text = new StringBuilder(BATCH * 400);
        while (true) {
            try {
                InvocationRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                text.setLength(0);
                for (InvocationRecord r : batch) {
                    line.append(text, r);
                }
                write(text, queue.isEmpty());
                written.addAndGet(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                batch.clear();
                LOG.log(Level.WARNING, "access log: a line could not be formatted", e);
            }
        }
    }

    private void write(CharSequence text, boolean flush) {
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            if (flush) {
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "access log: write failed: " + e.getMessage());
        }
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
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
