package io.fngate.invocation;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs for {@code nvcf-reqid}. They stay unguessable (a request id may later give access
 * to a result), but {@link UUID#randomUUID()} serialises every request on one global NativePRNG lock (5% of
 * proxy CPU in a profile). Here independent DRBG instances, picked at random, spread the contention, and each
 * draws 1 KiB at a time (a DRBG call costs about the same for 16 bytes as for 1 KiB).
 */
final class RequestIds {
    private static final Stripe[] STRIPES = new Stripe[16];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new Stripe();
        }
    }

    private static final class Stripe {
        private final SecureRandom random;
        private final byte[] pool = new byte[1024];
        private int next = pool.length;

        Stripe() {
            SecureRandom r;
            try {
                r = SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                r = new SecureRandom();
            }
            random = r;
        }

        synchronized void take(byte[] into) {
            if (next + into.length > pool.length) {
                random.nextBytes(pool);
                next = 0;
            }
            System.arraycopy(pool, next, into, 0, into.length);
            java.util.Arrays.fill(pool, next, next + into.length, (byte) 0); // handed out once only
            next += into.length;
        }
    }

    private RequestIds() {
    }

    static UUID next() {
        byte[] b = new byte[16];
        STRIPES[ThreadLocalRandom.current().nextInt(STRIPES.length)].take(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }
}
