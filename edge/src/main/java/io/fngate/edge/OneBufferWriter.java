package io.fngate.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;

/**
 * A {@link DataWriter} that handles one buffer at a time: the array forms pass each buffer in turn to
 * {@link #write(BufferData)} or {@link #writeNow(BufferData)}. Not responsible for anything else.
 */
abstract class OneBufferWriter implements DataWriter {
    @Override
    public final void write(BufferData... buffers) {
        for (BufferData b : buffers) {
            write(b);
        }
    }

    @Override
    public final void writeNow(BufferData... buffers) {
        for (BufferData b : buffers) {
            writeNow(b);
        }
    }
}
