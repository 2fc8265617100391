package io.fngate.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Client-side helpers for streamed responses: an HTTP/1.1 exchange on a raw socket whose chunked body is
 * decoded as it arrives, and arrival timestamps of expected pieces of a stream.
 */
final class StreamReader {
    private StreamReader() {
    }

    /** Sends a request on a fresh socket and returns the decoded body stream once the head arrived. */
    static Http1Stream open(int port, String request) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        InputStream in = new java.io.BufferedInputStream(s.getInputStream());
        String status = line(in);
        StringBuilder headers = new StringBuilder();
        String l;
        while (!(l = line(in)).isEmpty()) {
            headers.append(l.toLowerCase(Locale.ROOT)).append('\n');
        }
        boolean chunked = headers.toString().contains("transfer-encoding: chunked");
        return new Http1Stream(s, status, headers.toString(), chunked ? new Dechunk(in) : in);
    }

    record Http1Stream(Socket socket, String status, String headers, InputStream body) {
    }

    /** What arrived: every byte, and when each expected piece was complete (System.nanoTime). */
    record Arrivals(String text, List<Long> at) {
    }

    /**
     * Reads until all {@code pieces} arrived in order (other bytes, such as keep-alive comments, may come in
     * between) or the stream ends.
     */
    static Arrivals await(InputStream in, List<String> pieces) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Long> at = new ArrayList<>();
        byte[] buf = new byte[8192];
        int searchFrom = 0;
        while (at.size() < pieces.size()) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            long now = System.nanoTime();
            all.write(buf, 0, n);
            String text = all.toString(StandardCharsets.UTF_8);
            while (at.size() < pieces.size()) {
                int found = text.indexOf(pieces.get(at.size()), searchFrom);
                if (found < 0) {
                    break;
                }
                searchFrom = found + pieces.get(at.size()).length();
                at.add(now);
            }
        }
        return new Arrivals(all.toString(StandardCharsets.UTF_8), at);
    }

    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** Incremental chunked decoding: each read returns what has arrived of the current chunk. */
    private static final class Dechunk extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Dechunk(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in); // CRLF after the previous chunk
                }
                left = Long.parseLong(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("stream truncated");
            }
            left -= n;
            return n;
        }
    }
}
