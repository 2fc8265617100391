package io.fngate.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a key may do: NVCF's scopes, plus {@link #MANAGE_KEYS} (fngate's key management API).
 */
public enum Scope {
    /** Invoke functions (all of them, or those the key lists). */
    INVOKE_FUNCTION,
    /** List functions and their versions. */
    LIST_FUNCTIONS,
    /** Read a function version's or a deployment's details. */
    LIST_FUNCTIONS_DETAILS,
    /** Create functions and versions. */
    REGISTER_FUNCTION,
    /** Change a version's metadata. */
    UPDATE_FUNCTION,
    /** Delete versions. */
    DELETE_FUNCTION,
    /** Create, change and remove deployments and register instances. */
    DEPLOY_FUNCTION,
    /** Read queue depths. */
    QUEUE_DETAILS,
    /** Create, list and revoke API keys (fngate). */
    MANAGE_KEYS;

    /**
     * @return the name on the wire, as NVCF writes it ({@code invoke_function})
     */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wire a scope as written on the wire, any case
     * @return the scope, or empty when there is none of that name
     */
    public static Optional<Scope> parse(String wire) {
        try {
            return Optional.of(valueOf(wire.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
