package io.fngate.edge;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array (an unsynchronised, allocation-light ByteArrayOutputStream). */
final class Bytes {
    private byte[] buf;
    private int size;

    Bytes(int capacity) {
        buf = new byte[capacity];
    }

    int size() {
        return size;
    }

    byte at(int i) {
        return buf[i];
    }

    void append(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    void append(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    void append(byte[] b) {
        append(b, 0, b.length);
    }

    /** Appends US-ASCII text (the edge only writes ASCII protocol elements). */
    void append(String s) {
        append(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    void clear() {
        size = 0;
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The bytes {@code from..to} as ISO-8859-1 text (bytes map 1:1 to chars). */
    String text(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
