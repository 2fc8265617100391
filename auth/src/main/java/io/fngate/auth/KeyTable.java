package io.fngate.auth;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable snapshot of the keys, built for lookups that allocate nothing: keys made by fngate sorted by id
 * (binary search on two longs), keys from files in a list compared in full (every one, so that timing tells
 * nothing). A change builds a new table.
 */
final class KeyTable {
    static final KeyTable EMPTY = new KeyTable(List.of(), List.of());

    /** One key: what it may do, and the hash to compare. */
    record Entry(Caller caller, long msb, long lsb, byte[] hash) {
    }

    private final Entry[] minted;
    private final Entry[] plain;

    KeyTable(List<Entry> minted, List<Entry> plain) {
        this.minted = minted.toArray(Entry[]::new);
        Arrays.sort(this.minted, Comparator.comparingLong(Entry::msb).thenComparingLong(Entry::lsb));
        this.plain = plain.toArray(Entry[]::new);
    }

    boolean isEmpty() {
        return minted.length == 0 && plain.length == 0;
    }

    List<Entry> entries() {
        return java.util.stream.Stream.concat(Arrays.stream(minted), Arrays.stream(plain)).toList();
    }

    /** The fngate key with this id whose secret hashes to {@code hash}; null when none. */
    Caller minted(long msb, long lsb, CharSequence token, int secretFrom, int secretTo) {
        int lo = 0;
        int hi = minted.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Entry e = minted[mid];
            int c = e.msb != msb ? Long.compare(e.msb, msb) : Long.compare(e.lsb, lsb);
            if (c == 0) {
                byte[] presented = Tokens.sha256(token, secretFrom, secretTo);
                return MessageDigest.isEqual(e.hash, presented) ? e.caller : null;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    /** The file key whose whole text hashes like {@code token[from, to)}; null when none. */
    Caller plain(CharSequence token, int from, int to) {
        if (plain.length == 0) {
            return null;
        }
        byte[] presented = Tokens.sha256(token, from, to);
        Caller found = null;
        for (Entry e : plain) {
            if (MessageDigest.isEqual(e.hash, presented) && found == null) {
                found = e.caller;
            }
        }
        return found;
    }
}
