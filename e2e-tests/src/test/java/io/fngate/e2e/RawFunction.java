package io.fngate.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A function container that answers every request with fixed raw bytes (or nothing), then closes: for
 * upstream behaviour no well-behaved server produces (malformed heads, truncated bodies, resets).
 * Records each request head it received.
 */
final class RawFunction implements AutoCloseable {
    private final ServerSocket socket;
    private final byte[] answer;
    private final boolean reset;
    final LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();

    private RawFunction(byte[] answer, boolean reset) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.answer = answer;
        this.reset = reset;
        Thread.ofVirtual().start(this::serve);
    }

    /** Answers with these bytes after reading the request head, then closes the connection. */
    static RawFunction answering(String raw) throws IOException {
        return new RawFunction(raw.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /** Reads the request head, then resets the connection without a byte of response. */
    static RawFunction resetting() throws IOException {
        return new RawFunction(new byte[0], true);
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    String nextHead() throws InterruptedException {
        return heads.poll(10, TimeUnit.SECONDS);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().start(() -> answer(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            heads.add(SseFunction.readHead(s.getInputStream()));
            if (reset) {
                s.setSoLinger(true, 0);
                return;
            }
            s.getOutputStream().write(answer);
            s.getOutputStream().flush();
        } catch (IOException ignored) {
            // the gateway went away: nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
