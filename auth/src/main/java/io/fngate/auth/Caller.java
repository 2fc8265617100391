package io.fngate.auth;

import java.util.Objects;
import java.util.UUID;

/**
 * An authenticated key, or anyone at all when authentication is off ({@link #anonymous()}).
 *
 * @param key the key that authenticated
 */
public record Caller(KeyInfo key) implements AuthResult {
    private static final Caller ANONYMOUS = new Caller(new KeyInfo(new UUID(0, 0), "anonymous",
            java.util.EnumSet.allOf(Scope.class), java.util.Optional.empty(), java.time.Instant.EPOCH,
            KeyInfo.Source.CONFIG));

    /**
     * Checks for missing parts.
     */
    public Caller {
        Objects.requireNonNull(key, "key");
    }

    /**
     * @return the caller when no key is asked for: it may do everything
     */
    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /**
     * @param scope a scope
     * @return whether the key has it
     */
    public boolean may(Scope scope) {
        return key.scopes().contains(scope);
    }

    /**
     * @param function a function id
     * @return whether the key may invoke that function
     */
    public boolean mayInvoke(UUID function) {
        return may(Scope.INVOKE_FUNCTION) && key.functions().map(f -> f.contains(function)).orElse(true);
    }
}
