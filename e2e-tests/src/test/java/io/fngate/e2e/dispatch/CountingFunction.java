package io.fngate.e2e.dispatch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A function instance on the JDK's HTTP server that counts what a dispatcher must get right: requests in
 * flight now and at most, and the order requests arrived in (their {@code n} query parameter). Paths:
 * <ul>
 *     <li>{@code /work?ms=M&n=K&status=S}: waits M ms, answers S (200) with the instance's name</li>
 *     <li>{@code /stream?events=E&gap=G}: an event stream of E events, G ms apart</li>
 * </ul>
 * {@link #startOn(String, int)} binds a given port, so a test can bring a stopped instance back.
 */
public final class CountingFunction implements AutoCloseable {
    public final String name;
    public final AtomicInteger inFlight = new AtomicInteger();
    public final AtomicInteger maxInFlight = new AtomicInteger();
    public final AtomicInteger served = new AtomicInteger();
    public final List<Integer> arrivals = new CopyOnWriteArrayList<>();
    /** Arrivals over several instances, when they share one list. */
    public final List<Integer> sharedArrivals;
    public final List<String> paths = new CopyOnWriteArrayList<>();
    /** When each request (by its {@code n}) arrived, in {@link System#nanoTime()}. */
    public final java.util.Map<Integer, Long> arrivedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpServer server;

    private CountingFunction(String name, HttpServer server, List<Integer> sharedArrivals) {
        this.name = name;
        this.server = server;
        this.sharedArrivals = sharedArrivals;
    }

    public static CountingFunction start(String name) throws IOException {
        return startOn(name, 0);
    }

    public static CountingFunction startOn(String name, int port) throws IOException {
        return start(name, port, new CopyOnWriteArrayList<>());
    }

    public static CountingFunction start(String name, int port, List<Integer> sharedArrivals) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        CountingFunction f = new CountingFunction(name, server, sharedArrivals);
        server.createContext("/", f::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return f;
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        // a request stops counting just before its last bytes are written: from then on the gateway may finish it
        // and send the next one, while this thread is still closing the exchange
        Runnable done = new Runnable() {
            private boolean ran;

            @Override
            public void run() {
                if (!ran) {
                    ran = true;
                    inFlight.decrementAndGet();
                }
            }
        };
        try (ex) {
            URI uri = ex.getRequestURI();
            paths.add(uri.getPath());
            query(uri, "n").ifPresent(n -> {
                arrivedAt.put(Integer.parseInt(n), System.nanoTime());
                arrivals.add(Integer.parseInt(n));
                sharedArrivals.add(Integer.parseInt(n));
            });
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            if (uri.getPath().equals("/stream")) {
                stream(ex, Integer.parseInt(query(uri, "events").orElse("3")),
                        Long.parseLong(query(uri, "gap").orElse("10")), done);
                return;
            }
            sleep(Long.parseLong(query(uri, "ms").orElse("0")));
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            served.incrementAndGet();
            done.run();
            ex.sendResponseHeaders(Integer.parseInt(query(uri, "status").orElse("200")), body.length);
            ex.getResponseBody().write(body);
        } finally {
            done.run();
        }
    }

    private void stream(HttpExchange ex, int events, long gap, Runnable done) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < events; i++) {
            out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sleep(gap);
        }
        served.incrementAndGet();
        done.run(); // the end of the chunked body is the last write
    }

    private static java.util.Optional<String> query(URI uri, String name) {
        String q = uri.getRawQuery();
        if (q != null) {
            for (String p : q.split("&")) {
                if (p.startsWith(name + "=")) {
                    return java.util.Optional.of(p.substring(name.length() + 1));
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
