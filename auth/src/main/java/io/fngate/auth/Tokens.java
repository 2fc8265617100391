package io.fngate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The key format and its hash. A key made by fngate reads {@code fngate_<32 hex: id>_<43 base64url: secret>}: the
 * id finds the key without comparing against every key, and only the SHA-256 of the secret is ever stored. A key
 * from a keys file may be any string of at least {@link #MIN_LENGTH} characters; its whole text is hashed.
 * <p>
 * The hot path ({@link #sha256(CharSequence, int, int)}, {@link #hexNibbles}) allocates nothing but the hash:
 * digests are pooled and characters are fed to them one by one.
 */
final class Tokens {
    static final String PREFIX = "fngate_";
    static final int ID_HEX = 32;
    static final int SECRET_CHARS = 43;
    static final int LENGTH = PREFIX.length() + ID_HEX + 1 + SECRET_CHARS;
    static final int MIN_LENGTH = 16;
    private static final int POOL = 64;
    private static final ConcurrentLinkedQueue<MessageDigest> DIGESTS = new ConcurrentLinkedQueue<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new key: its id and the full token (shown once). */
    record Minted(UUID id, String token, byte[] secretHash) {
    }

    static Minted mint() {
        UUID id = UUID.randomUUID();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hex = id.toString().replace("-", "");
        String token = PREFIX + hex + "_" + encoded;
        return new Minted(id, token, sha256(token, token.length() - SECRET_CHARS, token.length()));
    }

    /** Whether {@code s[from, to)} has the shape of a key made by fngate. */
    static boolean minted(CharSequence s, int from, int to) {
        if (to - from != LENGTH || s.charAt(from + PREFIX.length() + ID_HEX) != '_') {
            return false;
        }
        for (int i = 0; i < PREFIX.length(); i++) {
            if (s.charAt(from + i) != PREFIX.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The id's 64-bit half starting at {@code at} (16 hex digits), or -1 in {@code bad[0]} when not hex.
     *
     * @param bad set to true when a character is not a hex digit
     */
    static long hexNibbles(CharSequence s, int at, boolean[] bad) {
        long v = 0;
        for (int i = at; i < at + 16; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                bad[0] = true;
                return 0;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** SHA-256 of {@code s[from, to)} as UTF-8. */
    static byte[] sha256(CharSequence s, int from, int to) {
        MessageDigest d = DIGESTS.poll();
        if (d == null) {
            d = newDigest();
        }
        try {
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) { // not ASCII: the rare slow path
                    d.reset();
                    return d.digest(s.subSequence(from, to).toString().getBytes(StandardCharsets.UTF_8));
                }
                d.update((byte) c);
            }
            return d.digest();
        } finally {
            d.reset();
            if (DIGESTS.size() < POOL) {
                DIGESTS.offer(d);
            }
        }
    }

    static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
