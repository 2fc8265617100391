package io.fngate.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A function container whose every answer a test writes by hand, on keep-alive connections: for containers that
 * misbehave in ways real servers rarely do (a body after a 204, an answer before the request body). Requests
 * are numbered over all connections in arrival order.
 */
final class ScriptedFunction implements AutoCloseable {
    /** Answers one request; the head has been read, the body (if any) is still in {@code in}. */
    @FunctionalInterface
    interface Script {
        /**
         * @return whether to keep the connection for another request
         */
        boolean answer(int index, String head, InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket socket;
    private final Script script;
    final AtomicInteger requests = new AtomicInteger();

    ScriptedFunction(Script script) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        Thread.ofVirtual().start(this::serve);
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().start(() -> connection(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connection(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = SseFunction.readHead(in);
                if (head.isEmpty()) {
                    return;
                }
                if (!script.answer(requests.getAndIncrement(), head, in, out)) {
                    return;
                }
                out.flush();
            }
        } catch (IOException ignored) {
            // the gateway went away
        }
    }

    static long contentLength(String head) {
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
