package io.fngate.edge;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.PeerInfo;
import io.helidon.common.socket.SocketContext;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.http.http2.FlowControl;
import io.helidon.http.http2.Http2ConnectionWriter;
import io.helidon.http.http2.Http2Flag;
import io.helidon.http.http2.Http2FrameData;
import io.helidon.http.http2.Http2FrameHeader;
import io.helidon.http.http2.Http2FrameTypes;
import io.helidon.http.http2.Http2Headers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A whole HTTP/2 response leaves in one socket write, written by Helidon's own frame writer; frames keep their
 * order whoever writes them; nothing held is lost.
 */
class HeadersHoldTest {
    private static final int HEADERS = 1;
    private static final int DATA = 0;

    private final SocketWrites socket = new SocketWrites();
    private final HeadersHold hold = new HeadersHold(socket);
    private final Http2ConnectionWriter helidon = new Http2ConnectionWriter(new Ctx(), hold, List.of());

    /** The frame types in one write, in order. */
    private List<Integer> types(int write) {
        byte[] w = socket.writes.get(write);
        List<Integer> types = new ArrayList<>();
        int i = 0;
        while (i + 9 <= w.length) {
            types.add((int) w[i + 3]);
            i += 9 + ((w[i] & 0xff) << 16 | (w[i + 1] & 0xff) << 8 | w[i + 2] & 0xff); // header + payload
        }
        return types;
    }

    /** Writes a 200 with a body the way Http2ServerResponse.send(byte[]) does. */
    private void respond(int stream, String body) {
        WritableHeaders<?> headers = WritableHeaders.create();
        headers.set(HeaderNames.CONTENT_TYPE, "text/plain");
        Http2Headers h2 = Http2Headers.create(headers).status(Status.OK_200);
        byte[] b = body.getBytes();
        Http2FrameData data = new Http2FrameData(Http2FrameHeader.create(b.length, Http2FrameTypes.DATA,
                Http2Flag.DataFlags.create(Http2Flag.END_OF_STREAM), stream), BufferData.create(b));
        helidon.writeHeaders(h2, stream, Http2Flag.HeaderFlags.create(Http2Flag.END_OF_HEADERS), data,
                FlowControl.Outbound.NOOP);
    }

    private static BufferData frame(int type, int flags, int stream, int length) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(new byte[] {0, 0, (byte) length, (byte) type, (byte) flags, 0, 0, 0, (byte) stream});
        f.writeBytes(new byte[length]);
        return BufferData.create(f.toByteArray());
    }

    @Test
    void withoutTheHoldHelidonWritesAWholeResponseInTwoWrites() {
        respond(1, "hello");
        assertEquals(2, socket.writes.size());
    }

    @Test
    void aWholeResponseLeavesInOneWrite() {
        HeadersHold.holding(() -> respond(1, "hello"));
        assertEquals(1, socket.writes.size());
        assertEquals(List.of(HEADERS, DATA), types(0));
        String hex = HexFormat.of().formatHex(socket.writes.get(0));
        assertEquals(true, hex.endsWith(HexFormat.of().formatHex("hello".getBytes())), hex);
    }

    @Test
    void eachResponseOfAConnectionIsOneWrite() {
        for (int stream = 1; stream < 10; stream += 2) {
            int s = stream;
            HeadersHold.holding(() -> respond(s, "body of " + s));
        }
        assertEquals(5, socket.writes.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(HEADERS, DATA), types(i), "response " + i);
        }
    }

    @Test
    void aFrameOfAnotherThreadLeavesBehindTheHeldHeaders() throws Exception {
        HeadersHold.holding(() -> {
            hold.writeNow(frame(HEADERS, 0x4, 1, 3)); // held: its DATA has not come yet
            Thread other = Thread.ofVirtual().start(() -> hold.writeNow(frame(HEADERS, 0x5, 3, 2)));
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            hold.writeNow(frame(DATA, 0x1, 1, 4));
        });
        assertEquals(2, socket.writes.size());
        assertEquals(List.of(HEADERS, HEADERS), types(0)); // stream 1's, then stream 3's: encoding order
        assertEquals(1, socket.writes.get(0)[8]);
        assertEquals(List.of(DATA), types(1));
    }

    @Test
    void heldHeadersAreSentWhenNoDataFollows() {
        HeadersHold.holding(() -> hold.writeNow(frame(HEADERS, 0x4, 1, 3)));
        assertEquals(1, socket.writes.size());
        assertEquals(List.of(HEADERS), types(0));
    }

    @Test
    void nothingIsHeldOutsideAWholeSend() {
        hold.writeNow(frame(HEADERS, 0x4, 1, 3));
        assertEquals(1, socket.writes.size());
    }

    @Test
    void aWholeResponseOverH2cArrivesIntact() throws Exception {
        try (TestServer server = TestServer.start(); H2Client client = new H2Client(server.port())) {
            for (int i = 0; i < 3; i++) {
                H2Client.Reply reply = client.get("/whole", "localhost");
                assertEquals(0x88, reply.status()); // :status 200
                assertEquals("whole body\n", reply.body());
            }
        }
    }

    /**
     * A client that opens its streams' windows only when it sees response headers: the headers must come although
     * the body cannot (held for a DATA write that waits for a WINDOW_UPDATE, they would never leave).
     */
    @Test
    void headersAreNotHeldWhenTheWindowCannotTakeTheBody() throws Exception {
        try (TestServer server = TestServer.start(); H2Client client = new H2Client(server.port(), 0)) {
            int stream = client.start("/whole", "localhost");
            H2Client.Frame headers = client.next(stream); // the socket times out after 5 s
            assertEquals(List.of(HEADERS, stream, 0), List.of(headers.type(), headers.stream(), headers.flags() & 1));
            client.windowUpdate(stream, 1000);
            H2Client.Frame data = client.next(stream);
            assertEquals(List.of(DATA, stream, true), List.of(data.type(), data.stream(), data.endsStream()));
            assertEquals("whole body\n", new String(data.payload()));
        }
    }

    /** Helidon writes a streamed response's head apart from its first bytes; held, they leave together. */
    @Test
    void aStreamedResponsesHeadLeavesWithItsFirstBytesOverHttp1() throws Exception {
        try (TestServer server = unbuffered()) {
            String get = "GET %s HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n";
            List<Long> plain = socketWrites(() -> {
                RawClient c = new RawClient(server.port());
                c.send(get.formatted("/stream?plain")).read();
                return c;
            });
            List<Long> held = socketWrites(() -> {
                RawClient c = new RawClient(server.port());
                assertEquals("one\ntwo\n", c.send(get.formatted("/stream")).read().text());
                return c;
            });
            assertEquals(4, plain.size(), "head, one, two, last chunk: " + plain);
            assertEquals(List.of(plain.get(0) + plain.get(1), plain.get(2), plain.get(3)), held);
        }
    }

    /** A large first write, flushed or followed by another write (either makes Helidon write the head). */
    @Test
    void aStreamedResponsesHeadLeavesWithALargeFirstWrite() throws Exception {
        try (TestServer server = unbuffered()) {
            String get = "GET %s HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n";
            for (String query : List.of("first=20000", "first=20000&unflushed")) {
                List<Long> plain = socketWrites(() -> {
                    RawClient c = new RawClient(server.port());
                    c.send(get.formatted("/stream?plain&" + query)).read();
                    return c;
                });
                List<Long> held = socketWrites(() -> {
                    RawClient c = new RawClient(server.port());
                    assertEquals(20004, c.send(get.formatted("/stream?" + query)).read().body().length);
                    return c;
                });
                // the socket takes large writes in 8 KiB pieces: the same bytes, in one write fewer
                assertEquals(plain.size() - 1, held.size(), query + ": plain " + plain + ", held " + held);
                assertEquals(plain.stream().mapToLong(Long::longValue).sum(),
                        held.stream().mapToLong(Long::longValue).sum());
            }
        }
    }

    @Test
    void aStreamedResponsesHeadersLeaveWithItsFirstDataOverH2c() throws Exception {
        try (TestServer server = unbuffered()) {
            List<Long> plain = socketWrites(() -> {
                H2Client c = new H2Client(server.port());
                c.get("/stream?plain", "localhost");
                return c;
            });
            List<Long> held = socketWrites(() -> {
                H2Client c = new H2Client(server.port());
                assertEquals("one\ntwo\n", c.get("/stream", "localhost").body());
                return c;
            });
            assertEquals(plain.size() - 1, held.size(), "plain " + plain + ", held " + held);
        }
    }

    /** A server whose listener writes responses as fngate's public one does: without a write buffer. */
    private static TestServer unbuffered() {
        return TestServer.start(EdgeSettings.create(), b -> b.writeBufferSize(0));
    }

    /** A client connection that did its exchange. */
    private interface Exchange {
        AutoCloseable run() throws Exception;
    }

    /** The sizes of the socket writes the server made to the exchange's client (JFR's jdk.SocketWrite). */
    private static List<Long> socketWrites(Exchange exchange) throws Exception {
        return SocketWriteEvents.during(() -> {
            try (AutoCloseable client = exchange.run()) {
                Thread.sleep(200); // the server's last writes after the client read its answer
                return client instanceof RawClient r ? r.localPort() : ((H2Client) client).localPort();
            }
        });
    }

    private static final class Ctx implements SocketContext {
        @Override
        public PeerInfo remotePeer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PeerInfo localPeer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public String socketId() {
            return "test";
        }

        @Override
        public String childSocketId() {
            return "test";
        }
    }
}
