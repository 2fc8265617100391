package io.fngate.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A function container on raw sockets (HTTP/1.1, keep-alive), steered by request headers the gateway forwards:
 * {@code x-progress} sends a 102 with {@code NVCF-PERCENT-COMPLETE} first, {@code x-delay-ms} waits before the
 * head, {@code x-size} answers that many deterministic bytes, {@code x-trickle-ms} sends a chunk every 100 ms for
 * that long (a write that fails is counted as a cancelled request), {@code x-sse} answers three events, the
 * last one only after {@link #releaseLastEvent}. Otherwise it echoes what it got.
 */
final class PexecFunction implements AutoCloseable {
    private final ServerSocket server;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger trickleCompleted = new AtomicInteger();
    final ConcurrentLinkedQueue<Map<String, String>> heads = new ConcurrentLinkedQueue<>();
    final CountDownLatch releaseLastEvent = new CountDownLatch(1);

    private PexecFunction(ServerSocket server) {
        this.server = server;
    }

    static PexecFunction start() throws IOException {
        PexecFunction f = new PexecFunction(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().start(f::acceptLoop);
        return f;
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    static byte pattern(long i) {
        return (byte) (i * 31 + 7);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                Map<String, String> head = readHead(in);
                if (head == null) {
                    return;
                }
                byte[] body = in.readNBytes(Integer.parseInt(head.getOrDefault("content-length", "0")));
                requests.incrementAndGet();
                heads.add(head);
                answer(head, body, out);
            }
        } catch (IOException | InterruptedException e) {
            // the gateway went away
        }
    }

    private void answer(Map<String, String> head, byte[] body, OutputStream out)
            throws IOException, InterruptedException {
        if (head.containsKey("x-progress")) {
            out.write(("HTTP/1.1 102 Processing\r\nNVCF-PERCENT-COMPLETE: " + head.get("x-progress") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        Thread.sleep(Long.parseLong(head.getOrDefault("x-delay-ms", "0")));
        if (head.containsKey("x-size")) {
            long size = Long.parseLong(head.get("x-size"));
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nX-Result: big\r\n"
                    + "Content-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[64 * 1024];
            for (long i = 0; i < size; ) {
                int n = (int) Math.min(buf.length, size - i);
                for (int j = 0; j < n; j++) {
                    buf[j] = pattern(i + j);
                }
                out.write(buf, 0, n);
                i += n;
            }
            out.flush();
        } else if (head.containsKey("x-trickle-ms")) {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(head.get("x-trickle-ms")));
            try {
                while (System.nanoTime() < until) {
                    out.write("1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(100);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                trickleCompleted.incrementAndGet();
            } catch (IOException e) {
                cancelled.incrementAndGet();
                throw e;
            }
        } else if (head.containsKey("x-sse")) {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 1; i <= 3; i++) {
                if (i == 3 && !releaseLastEvent.await(20, TimeUnit.SECONDS)) {
                    throw new IOException("the test never read the first events");
                }
                byte[] event = ("data: event-" + i + "\n\n").getBytes(StandardCharsets.US_ASCII);
                out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(event);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } else {
            String text = head.get(":method") + " " + head.get(":target") + "\n"
                    + "content-type=" + head.getOrDefault("content-type", "") + "\n"
                    + "poll=" + head.getOrDefault("nvcf-poll-seconds", "") + "\n"
                    + "max=" + head.getOrDefault("nvcf-max-response-size-bytes", "") + "\n"
                    + "reqid=" + head.getOrDefault("nvcf-reqid", "") + "\n"
                    + new String(body, StandardCharsets.UTF_8);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Answered-By: pexec-function\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        }
    }

    /** The request head by lower-case name ({@code :method}, {@code :target} for the request line); null at EOF. */
    private static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        Map<String, String> head = new LinkedHashMap<>();
        boolean first = true;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (first) {
                String[] parts = text.split(" ");
                head.put(":method", parts[0]);
                head.put(":target", parts[1]);
                first = false;
            } else if (text.isEmpty()) {
                return head;
            } else {
                int colon = text.indexOf(':');
                head.merge(text.substring(0, colon).trim().toLowerCase(Locale.ROOT), text.substring(colon + 1).trim(),
                        (a, c) -> a + ", " + c);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
