package io.fngate.auth;


import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One key of a keys file or of the configuration:
 * {@code <key or sha256:<64 hex>> [scopes=<scope>,...|*] [functions=<uuid>,...] [name=<label>]}, separated by
 * spaces. Without {@code scopes} a key may do everything (like the admin keys it replaces).
 */
final class KeyFile {
    private static final String HASH = "sha256:";

    private KeyFile() {
    }

    /**
     * @param line   the entry
     * @param source where it was read, for messages ("auth.keys-file line 3")
     * @return the entry as a table entry
     * @throws IllegalArgumentException naming the source and the problem
     */
    static KeyTable.Entry parse(String line, String source) {
        String[] parts = line.strip().split("\\s+");
        byte[] hash = hash(parts[0], source);
        Set<Scope> scopes = EnumSet.allOf(Scope.class);
        Optional<Set<UUID>> functions = Optional.empty();
        String name = source;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            String attr = eq < 0 ? p : p.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            switch (attr) {
            case "scopes" -> scopes = scopes(value, source);
            case "functions" -> functions = Optional.of(functions(value, source));
            case "name" -> name = value;
            default -> throw new IllegalArgumentException(source + ": unknown attribute " + attr
                    + " (expected: scopes=, functions=, name=)");
            }
        }
        UUID id = UUID.nameUUIDFromBytes(hash);
        KeyInfo info = new KeyInfo(id, name, scopes, functions, Instant.EPOCH, KeyInfo.Source.CONFIG);
        return new KeyTable.Entry(new Caller(info), 0, 0, hash);
    }

    /** The hash of a key given in full, or the hash itself ({@code sha256:<hex>}). */
    static byte[] hash(String keyOrHash, String source) {
        if (keyOrHash.toLowerCase(Locale.ROOT).startsWith(HASH)) {
            String hex = keyOrHash.substring(HASH.length());
            if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException(source + ": a hashed key is sha256: and 64 hex digits");
            }
            return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        }
        if (keyOrHash.length() < Tokens.MIN_LENGTH) {
            throw new IllegalArgumentException(source + ": a key has at least " + Tokens.MIN_LENGTH + " characters");
        }
        return Tokens.sha256(keyOrHash, 0, keyOrHash.length());
    }

    /** The {@code sha256:<hex>} line for a key, so that files need not hold keys themselves. */
    static String hashed(String key) {
        return HASH + Tokens.hex(Tokens.sha256(key, 0, key.length()));
    }

    static Set<Scope> scopes(String list, String source) {
        if (list.equals("*")) {
            return EnumSet.allOf(Scope.class);
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : list.split(",")) {
            scopes.add(Scope.parse(s).orElseThrow(() -> new IllegalArgumentException(source + ": unknown scope " + s
                    + " (expected: " + String.join(", ", EnumSet.allOf(Scope.class).stream().map(Scope::wire)
                    .toList()) + ")")));
        }
        return scopes;
    }

    static Set<UUID> functions(String list, String source) {
        Set<UUID> ids = new HashSet<>();
        for (String s : list.split(",")) {
            try {
                ids.add(UUID.fromString(s.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + s + " is not a function id");
            }
        }
        return ids;
    }

}
