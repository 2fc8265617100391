package io.fngate.registry;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a client asks for when it creates a function ({@link FunctionRegistry#createFunction}, name required) or a
 * new version of one ({@link FunctionRegistry#addVersion}; name and queue size, when given, replace the
 * function's).
 *
 * @param name         function name; checked with {@link FunctionSpec#checkName}
 * @param maxQueueSize requests that may wait for a free instance (an fngate field); empty: unchanged or the default
 * @param version      the version to create
 */
public record FunctionDraft(Optional<String> name, OptionalInt maxQueueSize, VersionDraft version) {

    /**
     * Checks the parts.
     */
    public FunctionDraft {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxQueueSize, "maxQueueSize");
        Objects.requireNonNull(version, "version");
        name.ifPresent(n -> FunctionSpec.checkName(n, "name"));
        maxQueueSize.ifPresent(q -> {
            if (q < 0 || q > FunctionSpec.MAX_QUEUE_SIZE) {
                throw new IllegalArgumentException("maxQueueSize: " + q + " (expected: 0.."
                        + FunctionSpec.MAX_QUEUE_SIZE + ")");
            }
        });
    }
}
