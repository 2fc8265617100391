package io.fngate.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What is known of one key, never the secret.
 *
 * @param id        the key's id (part of the key itself for keys made through the API)
 * @param name      a label for people
 * @param scopes    what it may do
 * @param functions the functions it may invoke; empty: every function
 * @param createdAt when it was made
 * @param source    where it comes from
 */
public record KeyInfo(UUID id, String name, Set<Scope> scopes, Optional<Set<UUID>> functions, Instant createdAt,
                      Source source) {

    /**
     * Checks and copies the parts.
     */
    public KeyInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(source, "source");
        scopes = Set.copyOf(scopes);
        functions = functions.map(Set::copyOf);
    }

    /**
     * Where a key comes from.
     */
    public enum Source {
        /** A keys file or the configuration (read-only: change the file). */
        CONFIG,
        /** Made through the management API and kept in the store (revocable there). */
        API
    }
}
