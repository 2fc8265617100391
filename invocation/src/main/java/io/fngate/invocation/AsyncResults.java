package io.fngate.invocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The invocations answered {@code 202} whose result has not been delivered yet, by request id. A sweeper cancels
 * those nobody polled for in time ({@link AsyncSettings#unpolledAfter}), running or finished.
 * <p>
 * Result files live in one directory: the configured one (under the data directory, which one process holds at a
 * time), emptied of {@code *.result} files at start since results do not survive a restart; or a temporary one
 * removed at close.
 */
final class AsyncResults implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AsyncResults.class.getName());
    private static final Duration SWEEP = Duration.ofMillis(250);

    private final AsyncSettings settings;
    private final Clock clock;
    private final Path dir;
    private final boolean ownDir;
    private final Map<UUID, AsyncInvocation> pending = new ConcurrentHashMap<>();
    private final AtomicLong memoryInUse = new AtomicLong();
    private final Thread sweeper;
    private volatile boolean closed;

    AsyncResults(AsyncSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        try {
            if (settings.resultsDirectory().isPresent()) {
                dir = settings.resultsDirectory().get();
                Files.createDirectories(dir);
                emptyOldResults();
                ownDir = false;
            } else {
                dir = Files.createTempDirectory("fngate-results-");
                ownDir = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("invocation.async.results-dir: cannot use " + e.getMessage(), e);
        }
        sweeper = Thread.ofVirtual().name("fngate-async-sweeper").start(this::sweepLoop);
    }

    private void emptyOldResults() throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.result")) {
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A body holder for the result of request {@code id}. */
    ResultBody newBody(UUID id, long maxSize) {
        return new ResultBody(dir.resolve(id + ".result"), memoryInUse, settings, maxSize);
    }

    /**
     * Keeps an invocation until its result is delivered or it expires.
     *
     * @return false when the store is closed (the gateway is stopping)
     */
    boolean add(AsyncInvocation invocation) {
        if (closed) {
            return false;
        }
        pending.put(invocation.id(), invocation);
        if (closed) { // closed meanwhile: close() may have missed it
            remove(invocation);
            return false;
        }
        return true;
    }

    /**
     * @param id    the request id
     * @param owner the key that asks; only the key that invoked may see the result
     * @return the pending invocation, when there is one this key may poll
     */
    Optional<AsyncInvocation> find(UUID id, UUID owner) {
        AsyncInvocation inv = pending.get(id);
        return inv != null && inv.owner().equals(owner) ? Optional.of(inv) : Optional.empty();
    }

    /** Forgets an invocation and drops what it holds (delivered, expired or cancelled). */
    void remove(AsyncInvocation invocation) {
        pending.remove(invocation.id(), invocation);
        invocation.discard();
    }

    AsyncSettings settings() {
        return settings;
    }

    /** @return invocations answered 202 whose result has not been delivered */
    int size() {
        return pending.size();
    }

    /** @return bytes of result bodies held in memory now */
    long memoryInUse() {
        return memoryInUse.get();
    }

    private void sweepLoop() {
        while (!closed) {
            try {
                Thread.sleep(SWEEP);
            } catch (InterruptedException e) {
                return;
            }
            Instant now = clock.instant();
            for (AsyncInvocation inv : pending.values()) {
                if (!inv.claimed() && now.isAfter(inv.pollBy())) {
                    LOG.info(() -> "request " + inv.id() + ": not polled in time; "
                            + (inv.ended() ? "result dropped" : "cancelled"));
                    remove(inv);
                }
            }
        }
    }

    /**
     * Cancels every pending invocation (shutdown).
     *
     * @return how many were still pending
     */
    int abortAll() {
        int n = 0;
        for (AsyncInvocation inv : pending.values()) {
            remove(inv);
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        sweeper.interrupt();
        abortAll();
        if (ownDir) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.log(Level.FINE, "could not remove " + dir, e);
            }
        }
    }
}
