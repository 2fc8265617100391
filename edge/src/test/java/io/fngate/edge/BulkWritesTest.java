package io.fngate.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.NioSocket;
import io.helidon.common.socket.SocketWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes of a plain edge connection leave in system calls of up to 65 KiB, not in Helidon's 8 KiB pieces, with
 * the same bytes in the same order; Helidon's writer stays where the edge cannot do better.
 */
class BulkWritesTest {
    private ServerSocketChannel listener;
    private SocketChannel serverSide;
    private java.net.Socket client;
    private NioSocket socket;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = new java.net.Socket("127.0.0.1", ((InetSocketAddress) listener.getLocalAddress()).getPort());
        serverSide = listener.accept();
        socket = NioSocket.server(serverSide, "test", "test");
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        serverSide.close();
        listener.close();
    }

    @Test
    void aLargeWriteLeavesIn65KiBSystemCallsWithItsBytesInOrder() throws Exception {
        DataWriter writer = BulkWrites.over(SocketWriter.create(socket), socket);
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        CompletableFuture<byte[]> received = readAsync(body.length);
        List<Long> writes = SocketWriteEvents.during(() -> {
            writer.writeNow(BufferData.create(body));
            received.get();
            return client.getLocalPort();
        });
        assertArrayEquals(body, received.get());
        assertEquals(List.of(66560L, 66560L, 66560L, 66560L, 33760L), writes);
    }

    @Test
    void helidonsOwnWriterTakes8KiBAtATime() throws Exception {
        // what BulkWrites is for: the same write through Helidon's writer
        DataWriter helidon = SocketWriter.create(socket);
        CompletableFuture<byte[]> received = readAsync(300_000);
        List<Long> writes = SocketWriteEvents.during(() -> {
            helidon.writeNow(BufferData.create(new byte[300_000]));
            received.get();
            return client.getLocalPort();
        });
        assertEquals(37, writes.size(), writes.toString());
    }

    @Test
    void theArrayFormsAndCompositeBuffersLeaveTogether() throws Exception {
        DataWriter writer = BulkWrites.over(SocketWriter.create(socket), socket);
        byte[] head = "HTTP/1.1 200 OK\r\n\r\n".getBytes();
        byte[] frame = new byte[16_384];
        Arrays.fill(frame, (byte) 'x');
        CompletableFuture<byte[]> received = readAsync(head.length + 2 * frame.length + 3);
        List<Long> writes = SocketWriteEvents.during(() -> {
            writer.write(BufferData.create(head), BufferData.create(frame));
            writer.write(BufferData.create(BufferData.create(frame), BufferData.create("end".getBytes())));
            received.get();
            return client.getLocalPort();
        });
        byte[] expected = new byte[head.length + 2 * frame.length + 3];
        System.arraycopy(head, 0, expected, 0, head.length);
        System.arraycopy(frame, 0, expected, head.length, frame.length);
        System.arraycopy(frame, 0, expected, head.length + frame.length, frame.length);
        System.arraycopy("end".getBytes(), 0, expected, head.length + 2 * frame.length, 3);
        assertArrayEquals(expected, received.get());
        assertEquals(List.of((long) head.length + frame.length, (long) frame.length + 3), writes);
    }

    @Test
    void aWriteToAPeerThatLeftFailsAsHelidonsWould() throws Exception {
        DataWriter writer = BulkWrites.over(SocketWriter.create(socket), socket);
        client.setSoLinger(true, 0);
        client.close(); // RST
        Thread.sleep(100);
        assertThrows(UncheckedIOException.class, () -> {
            for (int i = 0; i < 100; i++) {
                writer.writeNow(BufferData.create(new byte[70_000]));
            }
        });
    }

    @Test
    void otherWritersAndSocketsKeepHelidonsWriter() {
        DataWriter other = new SocketWrites();
        assertSame(other, BulkWrites.over(other, socket), "not Helidon's direct writer");
        assertTrue(BulkWrites.over(SocketWriter.create(socket), socket) instanceof BulkWrites);
    }

    @Test
    void aResponseThroughTheEdgeLeavesInLargeWrites() throws Exception {
        // as fngate's public listener: no write buffer, so Helidon's direct writer under the edge
        try (TestServer server = TestServer.start(EdgeSettings.create(), b -> b.writeBufferSize(0))) {
            List<Long> writes = SocketWriteEvents.during(() -> {
                try (RawClient c = new RawClient(server.port())) {
                    RawClient.Response r = c.send("GET /stream?first=200000 HTTP/1.1\r\nHost: h\r\n"
                            + "Connection: close\r\n\r\n").read();
                    assertEquals(200_004, r.body().length);
                    Thread.sleep(200);
                    return c.localPort();
                }
            });
            // Helidon's socket alone: 25 writes of at most 8 KiB
            assertTrue(writes.stream().filter(w -> w > 8192).count() >= 3, "65 KiB writes: " + writes);
            assertTrue(writes.size() <= 6, writes.toString());
        }
    }

    private CompletableFuture<byte[]> readAsync(int length) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                InputStream in = client.getInputStream();
                return in.readNBytes(length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
