package io.fngate.invocation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How results of invocations answered {@code 202} are held until polled ({@code invocation.async.*}).
 * <p>
 * A result's body is kept in memory while it is small and the memory budget allows, and is written to a file in
 * the results directory otherwise. A result nobody polls for is cancelled (a running invocation is aborted
 * upstream) and dropped. Results do not survive a restart.
 *
 * @param resultsDirectory where large results are written; empty: a temporary directory removed at close
 * @param memoryBudget     bytes of result bodies held in memory by all pending results together
 * @param spillThreshold   a body larger than this goes to a file even when the budget has room
 * @param maxResultSize    a larger result is dropped and polled as a {@code result-too-large} problem
 * @param unpolledTimeout  a result not polled for this long after its 202 or last poll is cancelled; empty: twice
 *                         the request's poll time, at least 10 s
 */
public record AsyncSettings(Optional<Path> resultsDirectory, long memoryBudget, long spillThreshold,
                            long maxResultSize, Optional<Duration> unpolledTimeout) {

    /**
     * Validates the values.
     */
    public AsyncSettings {
        Objects.requireNonNull(resultsDirectory, "resultsDirectory");
        Objects.requireNonNull(unpolledTimeout, "unpolledTimeout");
        if (memoryBudget < 0 || spillThreshold < 0) {
            throw new IllegalArgumentException("memory-budget, spill-threshold: must not be negative");
        }
        if (maxResultSize < 1) {
            throw new IllegalArgumentException("max-result-size: " + maxResultSize + " (expected: >= 1)");
        }
        unpolledTimeout.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("unpolled-timeout: " + d + " (expected: > 0)");
            }
        });
    }

    /**
     * The defaults: a temporary directory, 64 MiB in memory, files above 256 KiB, results up to 1 GiB, cancelled
     * when unpolled for twice the poll time (at least 10 s).
     *
     * @return default settings
     */
    public static AsyncSettings defaults() {
        return new AsyncSettings(Optional.empty(), 64L << 20, 256L << 10, 1L << 30, Optional.empty());
    }

    /**
     * @param poll the poll time of the request or poll that last touched the result
     * @return how long the result waits for its next poll
     */
    Duration unpolledAfter(Duration poll) {
        if (unpolledTimeout.isPresent()) {
            return unpolledTimeout.get();
        }
        Duration twice = poll.multipliedBy(2);
        return twice.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : twice;
    }
}
