package io.fngate.invocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body of an asynchronous result while it waits to be polled: in memory while it is small and the shared
 * memory budget has room, in a file of its own once either is exceeded (what was in memory moves to the file
 * and gives its share of the budget back). Not a cache: read once, then {@link #discard() discarded}.
 * <p>
 * Written by the invocation's thread, discarded by whichever thread ends the result (delivery, cancellation,
 * shutdown): the methods are synchronized.
 */
final class ResultBody {
    private final Path file;
    private final AtomicLong memoryInUse;
    private final long memoryBudget;
    private final long spillThreshold;
    private final long maxSize;

    private byte[] memory = new byte[0];
    private OutputStream fileOut;
    private long size;
    private boolean spilled;
    private boolean discarded;

    ResultBody(Path file, AtomicLong memoryInUse, AsyncSettings settings, long maxSize) {
        this.file = file;
        this.memoryInUse = memoryInUse;
        this.memoryBudget = settings.memoryBudget();
        this.spillThreshold = settings.spillThreshold();
        this.maxSize = maxSize;
    }

    /** Thrown when the body grows past the largest result held. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("result larger than " + max + " bytes");
        }
    }

    synchronized void write(byte[] b, int off, int len) throws IOException {
        if (discarded) {
            throw new IOException("result discarded");
        }
        if (size + len > maxSize) {
            throw new TooLarge(maxSize);
        }
        if (!spilled) {
            long total = size + len;
            if (total <= spillThreshold && memoryInUse.addAndGet(len) <= memoryBudget) {
                if (total > memory.length) {
                    memory = Arrays.copyOf(memory, (int) Math.min(spillThreshold, Math.max(total, memory.length * 2L)));
                }
                System.arraycopy(b, off, memory, (int) size, len);
                size = total;
                return;
            }
            if (total <= spillThreshold) {
                memoryInUse.addAndGet(-len); // the budget was short: undo the reservation above
            }
            spill();
        }
        fileOut.write(b, off, len);
        size += len;
    }

    private void spill() throws IOException {
        Files.createDirectories(file.getParent());
        fileOut = Files.newOutputStream(file);
        fileOut.write(memory, 0, (int) size);
        memoryInUse.addAndGet(-size);
        memory = new byte[0];
        spilled = true;
    }

    /** The body is complete: a file is closed (its bytes are on disk for the reader). */
    synchronized void finish() throws IOException {
        if (fileOut != null) {
            fileOut.close();
        }
    }

    synchronized long size() {
        return size;
    }

    synchronized boolean spilled() {
        return spilled;
    }

    /**
     * @return the whole body when in memory, else empty (read it with {@link #open()})
     */
    synchronized java.util.Optional<byte[]> inMemory() {
        return spilled ? java.util.Optional.empty() : java.util.Optional.of(Arrays.copyOf(memory, (int) size));
    }

    synchronized InputStream open() throws IOException {
        return spilled ? Files.newInputStream(file) : new ByteArrayInputStream(memory, 0, (int) size);
    }

    /** Frees the memory share and deletes the file. Idempotent. */
    synchronized void discard() {
        if (discarded) {
            return;
        }
        discarded = true;
        if (!spilled) {
            memoryInUse.addAndGet(-size);
        }
        memory = new byte[0];
        if (fileOut != null) {
            try {
                fileOut.close();
            } catch (IOException ignored) {
                // deleted next
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the results directory is emptied at the next start
        }
    }
}
