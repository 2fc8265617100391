package io.fngate.edge;

import java.nio.charset.StandardCharsets;

import io.helidon.common.buffers.BufferData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The HTTP/1.0 response writer gives the same bytes however Helidon splits its writes. */
class Http10WriterTest {
    private static final String HEAD = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
    private static final String CHUNKED = HEAD + "4\r\none \r\n4;x=y\r\ntwo \r\n6\r\nthree\n\r\n0\r\nT: t\r\n\r\n";

    private static String written(Http10Writer.Body body, String response, int split) {
        SocketWrites out = new SocketWrites();
        Http10Writer writer = new Http10Writer(out);
        writer.arm(body);
        byte[] b = response.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i += split) {
            writer.write(BufferData.create(b, i, Math.min(split, b.length - i)));
        }
        return out.text();
    }

    @Test
    void dechunksAtEverySplit() {
        for (int split = 1; split <= CHUNKED.length(); split++) {
            assertEquals(HEAD + "one two three\n", written(Http10Writer.Body.DECHUNK, CHUNKED, split),
                    "split " + split);
        }
    }

    @Test
    void dropsTheBodyOfAHeadAnswerAtEverySplit() {
        for (int split = 1; split <= 20; split++) {
            assertEquals(HEAD, written(Http10Writer.Body.NONE, HEAD + "entity", split), "split " + split);
        }
    }

    @Test
    void passesEverythingElse() {
        assertEquals(CHUNKED, written(Http10Writer.Body.PASS, CHUNKED, 3));
    }
}
