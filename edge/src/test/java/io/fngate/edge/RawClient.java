package io.fngate.edge;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One raw TCP (or TLS) connection to a test server: bytes out, HTTP/1.x responses in, connection state. */
final class RawClient implements AutoCloseable {
    /** A response as read off the wire (header names lower-cased). */
    record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? Optional.empty() : Optional.of(String.join(",", values));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawClient(int port) {
        this(connect(port));
    }

    RawClient(Socket socket) {
        try {
            this.socket = socket;
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            this.in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket connect(int port) {
        try {
            return new Socket("127.0.0.1", port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client's own port (the server's writes to it carry it as their remote port). */
    int localPort() {
        return socket.getLocalPort();
    }

    RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response to a request that was not HEAD. */
    Response read() {
        return read(false);
    }

    /**
     * Reads one response: by Content-Length, chunked (decoded), or up to the connection's end.
     *
     * @param head whether the request was HEAD (no body follows the head)
     */
    Response read(boolean head) {
        try {
            String statusLine = line();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String l = line(); !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                headers.computeIfAbsent(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(l.substring(colon + 1).strip());
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Response r = new Response(statusLine, status, headers, new byte[0]);
            if (head || status == 204 || status == 304 || status < 200) {
                return r;
            }
            byte[] body;
            if (r.header("content-length").isPresent()) {
                body = in.readNBytes(Integer.parseInt(r.header("content-length").get()));
            } else if (r.header("transfer-encoding").orElse("").contains("chunked")) {
                body = dechunk();
            } else {
                body = in.readAllBytes();
            }
            return new Response(statusLine, status, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] dechunk() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line().split(";")[0].strip(), 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            line();
        }
    }

    /** Reads what the server sends until it closes (or the timeout), e.g. a close-delimited HTTP/1.0 body. */
    byte[] readToEnd() {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed by the server after: " + b);
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Whether the server closes the connection within {@code time} without sending anything more.
     *
     * @throws AssertionError when bytes arrive instead
     */
    /** Ends what this client sends (a FIN); reading goes on. */
    void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean closedWithin(Duration time) {
        try {
            socket.setSoTimeout((int) time.toMillis());
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("the server sent more bytes: " + (char) b + new String(in.readNBytes(
                        in.available()), StandardCharsets.ISO_8859_1));
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed
        }
    }
}
