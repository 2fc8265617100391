package io.fngate.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The management API's admin keys, kept only as SHA-256 hashes and compared in constant time.
 * <p>
 * Sources, all merged: {@code registry.admin-keys} (a list), {@code registry.admin-keys-file} (one key per
 * line, {@code #} comments) and the environment variable {@code FNGATE_ADMIN_KEY}. Each entry is a key of at
 * least 16 characters or the hash of one written {@code sha256:<64 hex digits>}, so that files need not hold
 * the keys themselves.
 */
final class AdminKeys {
    static final String ENV = "FNGATE_ADMIN_KEY";
    static final int MIN_LENGTH = 16;
    private static final String HASH_PREFIX = "sha256:";

    private final List<byte[]> hashes;

    private AdminKeys(List<byte[]> hashes) {
        this.hashes = List.copyOf(hashes);
    }

    /** Result of checking an {@code Authorization} header. */
    enum Check {
        /** A configured key. */
        ALLOWED,
        /** No bearer credentials at all. */
        MISSING,
        /** Bearer credentials that match no key (or no key is configured). */
        DENIED
    }

    static AdminKeys create(Config registry, Map<String, String> environment) {
        List<String> entries = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        Config list = registry.get("admin-keys");
        list.asList(String.class).ifPresent(keys -> {
            entries.addAll(keys);
            sources.addAll(keys.stream().map(k -> list.key().toString()).toList());
        });
        Config file = registry.get("admin-keys-file");
        file.asString().ifPresent(name -> {
            Path path = Path.of(name);
            try {
                for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    String entry = line.strip();
                    if (!entry.isEmpty() && !entry.startsWith("#")) {
                        entries.add(entry);
                        sources.add(path.toString());
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(file.key() + ": cannot read " + path.toAbsolutePath() + ": " + e);
            }
        });
        Optional.ofNullable(environment.get(ENV)).filter(v -> !v.isBlank()).ifPresent(v -> {
            entries.add(v.strip());
            sources.add(ENV);
        });
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            hashes.add(hashOf(entries.get(i), sources.get(i)));
        }
        return new AdminKeys(hashes);
    }

    static AdminKeys of(List<String> entries) {
        return new AdminKeys(entries.stream().map(e -> hashOf(e, "admin key")).toList());
    }

    boolean configured() {
        return !hashes.isEmpty();
    }

    int count() {
        return hashes.size();
    }

    /**
     * Checks an {@code Authorization} header value. Every configured hash is compared, whatever matched, so
     * the time taken says nothing about which bytes were right.
     */
    Check check(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return Check.MISSING;
        }
        String value = authorization.get().strip();
        if (value.length() < 7 || !value.substring(0, 7).equalsIgnoreCase("bearer ")) {
            return Check.MISSING;
        }
        String token = value.substring(7).strip();
        if (token.isEmpty()) {
            return Check.MISSING;
        }
        byte[] presented = sha256(token);
        boolean match = false;
        for (byte[] hash : hashes) {
            match |= MessageDigest.isEqual(hash, presented);
        }
        return match ? Check.ALLOWED : Check.DENIED;
    }

    /** The {@code sha256:<hex>} form of a key, for keys files that should not hold the key. */
    static String hashed(String key) {
        return HASH_PREFIX + HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] hashOf(String entry, String source) {
        String e = entry.strip();
        if (e.toLowerCase(Locale.ROOT).startsWith(HASH_PREFIX)) {
            String hex = e.substring(HASH_PREFIX.length());
            if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException(source + ": a hashed admin key must be sha256: and 64 hex digits");
            }
            return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        }
        if (e.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(source + ": an admin key must have at least " + MIN_LENGTH
                    + " characters");
        }
        return sha256(e);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
