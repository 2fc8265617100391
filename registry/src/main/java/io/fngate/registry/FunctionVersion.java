package io.fngate.registry;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One version of a function as routing sees it: the instances that may serve it right now.
 * <p>
 * {@code instances} holds only instances that are deployed, whose registration has not lapsed and that pass
 * their health checks (or have none); an instance that fails its checks is simply absent. Not responsible for
 * why an instance is missing: the management API reports per-instance health.
 *
 * @param id                    version id
 * @param instances             instances that may serve this version now; empty when none can
 * @param status                life-cycle status (see {@link VersionStatus})
 * @param inferenceUrl          path the function serves inference on (NVCF {@code inferenceUrl}), starts with /
 * @param functionType          kind of responses the version produces
 * @param maxRequestConcurrency requests one instance accepts at once (1..16384)
 */
public record FunctionVersion(UUID id, List<Instance> instances, VersionStatus status, String inferenceUrl,
                              FunctionType functionType, int maxRequestConcurrency) {
    /** The largest {@code maxRequestConcurrency} (and the value used when nothing limits an instance). */
    public static final int MAX_REQUEST_CONCURRENCY = 16384;

    /**
     * Copies the list so the value stays immutable and checks the parts.
     */
    public FunctionVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(inferenceUrl, "inferenceUrl");
        Objects.requireNonNull(functionType, "functionType");
        instances = List.copyOf(instances);
        if (!inferenceUrl.startsWith("/")) {
            throw new IllegalArgumentException("inferenceUrl: " + inferenceUrl + " (expected: a path starting with /)");
        }
        if (maxRequestConcurrency < 1 || maxRequestConcurrency > MAX_REQUEST_CONCURRENCY) {
            throw new IllegalArgumentException("maxRequestConcurrency: " + maxRequestConcurrency
                    + " (expected: 1.." + MAX_REQUEST_CONCURRENCY + ")");
        }
    }

    /**
     * A version served by the given instances, all taken as healthy (ACTIVE), or INACTIVE when there are none;
     * inference URL {@code /}, {@link FunctionType#DEFAULT}, no concurrency limit.
     *
     * @param id        version id
     * @param instances instances serving it
     */
    public FunctionVersion(UUID id, List<Instance> instances) {
        this(id, instances, instances.isEmpty() ? VersionStatus.INACTIVE : VersionStatus.ACTIVE, "/",
                FunctionType.DEFAULT, MAX_REQUEST_CONCURRENCY);
    }

    /**
     * Whether any instance may serve this version now.
     *
     * @return true when at least one instance is listed
     */
    public boolean serving() {
        return !instances.isEmpty();
    }
}
