package io.fngate.edge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.helidon.common.buffers.BufferData;

/** A fake socket writer for the writer tests: what each write carried, in order. */
final class SocketWrites extends OneBufferWriter {
    final List<byte[]> writes = new ArrayList<>();

    @Override
    public synchronized void write(BufferData buffer) {
        writes.add(buffer.readBytes());
    }

    @Override
    public void writeNow(BufferData buffer) {
        write(buffer);
    }

    /** Everything written, as one text. */
    synchronized String text() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        writes.forEach(all::writeBytes);
        return all.toString(StandardCharsets.US_ASCII);
    }
}
