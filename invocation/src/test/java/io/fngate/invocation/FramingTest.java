package io.fngate.invocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upstream HTTP/1.1 framing: response heads, chunked and fixed-length bodies, chunked request bodies.
 */
class FramingTest {

    /** Delivers scripted pieces; "TIMEOUT" throws a read timeout, like a socket with SO_TIMEOUT. */
    private static final class Pieces extends InputStream {
        private final Deque<String> pieces;
        private byte[] current = new byte[0];
        private int at;

        Pieces(String... pieces) {
            this.pieces = new ArrayDeque<>(List.of(pieces));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at == current.length) {
                String next = pieces.poll();
                if (next == null) {
                    return -1;
                }
                if (next.equals("TIMEOUT")) {
                    throw new SocketTimeoutException("read timed out");
                }
                current = next.getBytes(StandardCharsets.ISO_8859_1);
                at = 0;
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void headIsParsedAndInterimResponsesAreSkipped() throws IOException {
        ResponseHead head = new HeadReader().read(bytes("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-A: 1\r\nx-a: 2\r\n"
                + "Content-Length: 7\r\n\r\n"));
        assertEquals(201, head.status());
        assertEquals("Created", head.reason());
        assertEquals(List.of("1", "2"), head.values("x-a"));
        assertEquals(OptionalLong.of(7), head.contentLength());
        assertEquals("application/json", head.contentType());
    }

    @Test
    void headReadResumesAfterATimeout() throws IOException {
        HeadReader reader = new HeadReader();
        Pieces in = new Pieces("HTTP/1.1 200 OK\r\nX-Partial", "TIMEOUT", ": yes\r\n\r\n");
        assertThrows(SocketTimeoutException.class, () -> reader.read(in));
        assertTrue(reader.started());
        ResponseHead head = reader.read(in);
        assertEquals(List.of("yes"), head.values("x-partial"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SSH-2.0-OpenSSH\r\n\r\n",
            "HTTP/1.1 2x0 OK\r\n\r\n",
            "HTTP/1.1 20\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno-colon-here\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
            "HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n",
    })
    void malformedHeadsAreProtocolErrors(String raw) {
        assertThrows(UpstreamProtocolException.class, () -> new HeadReader().read(bytes(raw)));
    }

    @Test
    void closeBeforeACompleteHeadIsEof() {
        assertThrows(EOFException.class, () -> new HeadReader().read(bytes("HTTP/1.1 200 OK\r\nX-A")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Content-Length: 5|5",
            "Content-Length: 5\\r\\nContent-Length: 5|5",
            "Content-Length: 5, 5|5",
            "Content-Length: 5\\r\\nContent-Length: 6|invalid",
            "Content-Length: -1|invalid",
            "Content-Length: abc|invalid",
    })
    void contentLengthMustBeOneNonNegativeNumber(String headers, String expected) throws IOException {
        String lines = headers.replace("\\r\\n", "\r\n");
        ResponseHead head = new HeadReader().read(bytes("HTTP/1.1 200 OK\r\n" + lines + "\r\n\r\n"));
        if (expected.equals("invalid")) {
            assertThrows(IllegalArgumentException.class, head::contentLength);
        } else {
            assertEquals(OptionalLong.of(Long.parseLong(expected)), head.contentLength());
        }
    }

    @Test
    void chunkedBodyIsDecodedWithExtensionsAndTrailersDiscarded() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(bytes(
                "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\nNEXT"));
        assertEquals("hello world", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        assertTrue(in.complete());
    }

    @Test
    void chunkedDecodingResumesAfterATimeoutInsideTheSizeLine() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(new Pieces("1", "TIMEOUT", "0\r\n0123456789abcdef\r\n0\r\n\r\n"));
        byte[] buf = new byte[64];
        assertThrows(SocketTimeoutException.class, () -> in.read(buf, 0, buf.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        assertEquals("0123456789abcdef", out.toString(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5\r\nhel", "5\r\nhello\r\n", "5\r\nhello\r\n0\r\n"})
    void chunkedBodyCutShortIsEofNotAnEnd(String raw) {
        assertThrows(EOFException.class, () -> new ChunkedInputStream(bytes(raw)).readAllBytes());
    }

    @ParameterizedTest(name = "case {index}")
    @ValueSource(strings = {"zz\r\nhello\r\n0\r\n\r\n", "\r\n", "5\r\nhelloXX0\r\n\r\n"})
    void invalidChunkFramingIsAProtocolError(String raw) {
        assertThrows(UpstreamProtocolException.class, () -> new ChunkedInputStream(bytes(raw)).readAllBytes());
    }

    @Test
    void fixedLengthBodyCutShortIsEof() throws IOException {
        FixedLengthInputStream ok = new FixedLengthInputStream(bytes("abcdeXTRA"), 5);
        assertArrayEquals("abcde".getBytes(StandardCharsets.US_ASCII), ok.readAllBytes());
        assertTrue(ok.complete());
        assertThrows(EOFException.class, () -> new FixedLengthInputStream(bytes("abc"), 5).readAllBytes());
    }

    @Test
    void chunkedRequestBodyEndsOnlyWhenFinished() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ChunkedOutputStream out = new ChunkedOutputStream(wire);
        out.write("hello".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[0]); // must not emit the terminating zero chunk
        out.write(new byte[20], 0, 17);
        assertEquals("5\r\nhello\r\n11\r\n", wire.toString(StandardCharsets.US_ASCII).substring(0, 14));
        assertTrue(!wire.toString(StandardCharsets.US_ASCII).endsWith("0\r\n\r\n"));
        out.finish();
        assertTrue(wire.toString(StandardCharsets.US_ASCII).endsWith("\r\n0\r\n\r\n"));
    }
}
