package io.fngate.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events container on a raw socket: it writes an exact byte script (chunked), one chunk per
 * step with a pause before each, timestamps the start of every write, and keeps a reader blocked on its socket so it sees
 * the moment the gateway closes or resets the connection, as a real server would.
 * <p>
 * The request path selects the script: {@code /endless} emits an event every 100 ms forever; any other path
 * plays {@link #script}; {@code /json} answers {@code application/json} instead of an event stream, and
 * {@code /ndjson} plays the script as {@code application/x-ndjson}.
 */
final class SseFunction implements AutoCloseable {
    /** One write: wait {@code pauseMs}, then send {@code bytes} as one chunk. */
    record Step(long pauseMs, String bytes) {
    }

    /** One served exchange, as the container saw it. */
    static final class Served {
        final String requestHead;
        final List<Long> emittedAt = new CopyOnWriteArrayList<>();
        volatile long closedAt;

        Served(String requestHead) {
            this.requestHead = requestHead;
        }
    }

    private final ServerSocket socket;
    private final List<Step> script;
    final ConcurrentLinkedQueue<Served> served = new ConcurrentLinkedQueue<>();
    final AtomicInteger open = new AtomicInteger();

    SseFunction(List<Step> script) throws IOException {
        this.socket = new ServerSocket(0, 2048, InetAddress.getLoopbackAddress());
        this.script = script;
        Thread.ofVirtual().start(this::serve);
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** The concatenated bytes of the script, as a client must receive them. */
    String scriptBytes() {
        StringBuilder b = new StringBuilder();
        script.forEach(s -> b.append(s.bytes()));
        return b.toString();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                s.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> exchange(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void exchange(Socket s) {
        open.incrementAndGet();
        Served ex = null;
        try (s) {
            InputStream in = s.getInputStream();
            String head = readHead(in);
            long bodyLength = contentLength(head);
            in.readNBytes((int) bodyLength);
            ex = new Served(head);
            served.add(ex);
            Served watched = ex;
            // a real server notices a closed or reset connection by reading it
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    while (in.read() >= 0) {
                        // nothing else is expected on this connection
                    }
                } catch (IOException ignored) {
                    // reset
                }
                if (watched.closedAt == 0) {
                    watched.closedAt = System.nanoTime();
                }
            });
            OutputStream out = s.getOutputStream();
            boolean json = head.startsWith("GET /json") || head.startsWith("POST /json");
            boolean ndjson = head.startsWith("GET /ndjson");
            String type = json ? "application/json" : ndjson ? "application/x-ndjson" : "text/event-stream";
            // one exchange per connection: say so, or the gateway would pool it and send a request nobody reads
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type
                    + "\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (json) {
                chunk(out, "{\"not\":\"a stream\"}");
            } else if (head.startsWith("GET /firehose")) {
                String event = "data: " + "x".repeat(16 * 1024) + "\n\n";
                while (watched.closedAt == 0) {
                    chunk(out, event); // blocks once the gateway stops reading: backpressure
                    ex.emittedAt.add(System.nanoTime());
                }
            } else if (head.startsWith("GET /endless") || head.startsWith("POST /endless")) {
                for (int i = 0; watched.closedAt == 0; i++) {
                    Thread.sleep(100);
                    chunk(out, "id: " + i + "\ndata: token " + i + "\n\n");
                    ex.emittedAt.add(System.nanoTime());
                }
            } else {
                for (Step step : script) {
                    Thread.sleep(step.pauseMs());
                    ex.emittedAt.add(System.nanoTime()); // when the container starts writing this event
                    chunk(out, step.bytes());
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            reader.join(10_000);
        } catch (IOException | InterruptedException e) {
            if (ex != null && ex.closedAt == 0) {
                ex.closedAt = System.nanoTime();
            }
        } finally {
            open.decrementAndGet();
        }
    }

    private static void chunk(OutputStream out, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads a request head up to and including its empty line, as ISO-8859-1 text. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
