package io.fngate.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One raw HTTP/1.1 exchange on its own connection, read by its framing (Content-Length or chunked), never to the
 * end of the connection: Helidon 4.5.0 keeps a connection open after {@code Connection: close}.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /**
     * Sends a raw request and reads its whole answer (by its framing); returns the status, or what happened when
     * there was no proper answer.
     */
    public static String status(int port, String raw) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            String status = line(in);
            if (status == null) {
                return "eof";
            }
            long length = -1;
            boolean chunked = false;
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            String code = status.length() >= 12 ? status.substring(9, 12) : "garbled: " + status;
            if (chunked) {
                while (true) {
                    String size = line(in);
                    if (size == null) {
                        return code + " cut"; // the answer started, then the connection ended inside the body
                    }
                    long n = Long.parseLong(size.trim(), 16);
                    if (n == 0) {
                        break;
                    }
                    in.readNBytes((int) n);
                    line(in);
                }
            } else if (length > 0 && in.readNBytes((int) length).length < length) {
                return code + " cut";
            }
            return code;
        } catch (java.net.SocketTimeoutException e) {
            return "no answer in 30 s";
        } catch (IOException | RuntimeException e) {
            return "broken: " + e;
        }
    }

    private static String line(java.io.InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return c < 0 && b.isEmpty() ? null : b.toString();
    }
}
