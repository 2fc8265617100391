package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Label values come only from the registry: a scan of random hosts (unknown function ids, unknown versions of a
 * known function) must not create a single series.
 */
class SeriesBoundTest {
    private static final int SCAN = 10_000;

    @Test
    void tenThousandRequestsToUnknownIdsLeaveTheSeriesUnchanged() throws Exception {
        try (FakeFunction fn = FakeFunction.start();
             TestGateway gw = TestGateway.start(fn.url(), Map.of())) {
            HttpClient http = gw.http1;
            // one of each kind first: the series that unknown ids count under exist from here on
            assertEquals(404, send(http, gw, UUID.randomUUID(), null));
            assertEquals(404, send(http, gw, TestGateway.FN, UUID.randomUUID()));
            Set<String> before = fngateSeries(Scrape.of(http, gw.gateway.adminPort()));

            AtomicInteger notFound = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                java.util.List<Future<?>> running = new java.util.ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    int first = t;
                    // a raw keep-alive connection per thread: the JDK client resends a GET whose connection
                    // failed, which the gateway rightly counts twice; this test counts what was sent
                    running.add(pool.submit(() -> {
                        try (Socket socket = new Socket("127.0.0.1", gw.port())) {
                            socket.setSoTimeout(30_000);
                            for (int i = first; i < SCAN; i += 16) {
                                UUID random = UUID.randomUUID();
                                int status = i % 2 == 0 ? send(socket, random, null)
                                        : send(socket, TestGateway.FN, random);
                                if (status == 404) {
                                    notFound.incrementAndGet();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
            assertEquals(SCAN, notFound.get());
            Scrape after = Scrape.of(http, gw.gateway.adminPort());
            assertEquals(before, fngateSeries(after));
            // a request that routes nowhere counts under function="none", whatever id it named
            // on a mismatch, the series by outcome say what happened (a client_gone would be a request the
            // client retried after its connection failed: counted once per attempt)
            java.util.function.Supplier<String> byOutcome = () -> after.text.lines()
                    .filter(l -> l.startsWith("fngate_requests_total{") && l.contains("function=\"none\""))
                    .collect(Collectors.joining("\n"));
            assertEquals(SCAN / 2 + 1, after.sum("fngate_requests_total", "function", "none", "version", "none",
                    "error", "function-not-found"), byOutcome);
            assertEquals(SCAN / 2 + 1, after.sum("fngate_requests_total", "function", "none", "version", "none",
                    "error", "version-not-found"), byOutcome);
            assertTrue(after.text.lines().noneMatch(l -> !l.startsWith("#")
                    && l.matches(".*\"[0-9a-f]{8}-[0-9a-f]{4}-.*") && !knownIdsOnly(l)), "no unknown id in any label");
        }
    }

    private static boolean knownIdsOnly(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").matcher(line);
        while (m.find()) {
            UUID id = UUID.fromString(m.group());
            if (!id.equals(TestGateway.FN) && !id.equals(TestGateway.V1) && !id.equals(TestGateway.V2)
                    && !id.equals(TestGateway.IDLE_FN)) {
                return false;
            }
        }
        return true;
    }

    /** Series of the gateway's own metrics (the JVM's may come and go with its threads and pools). */
    private static Set<String> fngateSeries(Scrape s) {
        return s.series().stream().filter(x -> x.startsWith("fngate_")).collect(Collectors.toCollection(HashSet::new));
    }

    /** One request on a keep-alive connection, its answer read whole (by Content-Length); no retry. */
    private static int send(Socket socket, UUID function, UUID version) throws IOException {
        String head = "GET /scan HTTP/1.1\r\nHost: 127.0.0.1\r\nfunction-id: " + function + "\r\n"
                + (version == null ? "" : "function-version-id: " + version + "\r\n") + "\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int status = -1;
        long length = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the gateway closed the connection before answering (status " + status + ")");
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            String l = line.toString().strip();
            line.setLength(0);
            if (status < 0) {
                status = Integer.parseInt(l.split(" ")[1]);
            } else if (l.isEmpty()) {
                break;
            } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(l.substring(15).strip());
            }
        }
        in.skipNBytes(length);
        return status;
    }

    private static int send(HttpClient http, TestGateway gw, UUID function, UUID version) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + "/scan"))
                .header("function-id", function.toString()).timeout(Duration.ofSeconds(30));
        if (version != null) {
            b.header("function-version-id", version.toString());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
