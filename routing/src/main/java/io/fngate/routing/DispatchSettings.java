package io.fngate.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link Dispatcher} admits requests, balances them and ejects failing instances ({@code dispatch.*}).
 * The per-instance limit itself comes from each version ({@code maxRequestConcurrency}).
 *
 * @param maxQueueSize    requests of one function that may wait for a free slot (a function may set its own);
 *                        beyond it, 429
 * @param retryAfter      the {@code Retry-After} a 429 carries
 * @param connectRetries  how many other instances a request is tried on after a connect failure
 * @param ejectAfter      consecutive failures (connect failures, gateway errors, 502s) that eject an instance
 * @param ejectionTime    the first ejection's length; each further one in a row doubles it
 * @param maxEjectionTime the longest ejection
 * @param maxEjectedShare the largest share of a version's instances ejected at once (0 turns ejection off, 1
 *                        lets every instance go)
 */
public record DispatchSettings(int maxQueueSize, Duration retryAfter, int connectRetries, int ejectAfter,
                               Duration ejectionTime, Duration maxEjectionTime, double maxEjectedShare) {

    /**
     * Validates the values.
     */
    public DispatchSettings {
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(ejectionTime, "ejectionTime");
        Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
        if (maxQueueSize < 0) {
            throw new IllegalArgumentException("max-queue-size: " + maxQueueSize + " (expected: >= 0)");
        }
        if (connectRetries < 0) {
            throw new IllegalArgumentException("connect-retries: " + connectRetries + " (expected: >= 0)");
        }
        if (ejectAfter < 1) {
            throw new IllegalArgumentException("ejection.consecutive-failures: " + ejectAfter + " (expected: >= 1)");
        }
        if (ejectionTime.isNegative() || ejectionTime.isZero() || maxEjectionTime.compareTo(ejectionTime) < 0) {
            throw new IllegalArgumentException("ejection.base-time: " + ejectionTime + ", ejection.max-time: "
                    + maxEjectionTime + " (expected: 0 < base-time <= max-time)");
        }
        if (!(maxEjectedShare >= 0 && maxEjectedShare <= 1)) {
            throw new IllegalArgumentException("ejection.max-share: " + maxEjectedShare + " (expected: 0..1)");
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retry-after: " + retryAfter + " (expected: >= 0)");
        }
    }

    /**
     * The defaults: a queue of 1000 per function, {@code Retry-After: 1}, 2 connect retries, ejection after 5
     * failures in a row for 10 s (doubling up to 5 min), at most half of a version's instances ejected.
     *
     * @return default settings
     */
    public static DispatchSettings defaults() {
        return new DispatchSettings(1000, Duration.ofSeconds(1), 2, 5, Duration.ofSeconds(10),
                Duration.ofMinutes(5), 0.5);
    }
}
