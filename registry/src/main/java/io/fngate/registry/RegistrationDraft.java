package io.fngate.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An instance registering itself ({@link FunctionRegistry#register}).
 *
 * @param url its base URL in normal form ({@link InstanceSpec#url})
 * @param ttl how long the registration lives without a heartbeat; empty: until removed
 */
public record RegistrationDraft(URI url, Optional<Duration> ttl) {

    /**
     * Checks the parts.
     */
    public RegistrationDraft {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(ttl, "ttl");
        ttl.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("ttl: " + t + " (expected: more than zero)");
            }
        });
    }
}
