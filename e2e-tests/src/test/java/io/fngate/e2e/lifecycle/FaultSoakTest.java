package io.fngate.e2e.lifecycle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fngate.e2e.GatewayProcess;
import io.fngate.e2e.dispatch.CountingFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 requests against containers that refuse, reset, hang, answer garbage or die mid-stream, and from
 * clients that leave: afterwards the gateway's threads (virtual ones included), file descriptors and heap after
 * GC are back where they started. Measured from outside, on a separate gateway process.
 */
@Timeout(300)
class FaultSoakTest {
    private static final String[] KINDS = {"healthy", "refusing", "resetting", "hanging", "garbage", "dying"};

    @Test
    void tenThousandFaultyExchangesLeaveNothingBehind() throws Exception {
        int refusedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            refusedPort = s.getLocalPort();
        }
        try (CountingFunction healthy = CountingFunction.start("ok");
             Misbehaving resetting = new Misbehaving(out -> { throw new IOException("reset"); });
             Misbehaving hanging = new Misbehaving(out -> sleep(60_000));
             Misbehaving garbage = new Misbehaving(out -> out.write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
             Misbehaving dying = new Misbehaving(out -> {
                 out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                         + "e\r\ndata: partial\n\n\r\n").getBytes(StandardCharsets.US_ASCII));
                 out.flush();
                 sleep(5);
                 throw new IOException("dies mid-stream");
             });
             GatewayProcess gw = GatewayProcess.script(yaml(List.of(healthy.url(), "http://127.0.0.1:" + refusedPort,
                     resetting.url(), hanging.url(), garbage.url(), dying.url())), 0, Map.of())) {
            drive(gw.publicPort(), 500); // warm-up: classes loaded, pools and caches at their size
            Usage before = Usage.of(gw.pid());
            Map<String, AtomicInteger> outcomes = drive(gw.publicPort(), 10_000);
            Thread.sleep(6000); // idle upstream connections close after 4 s
            Usage after = Usage.of(gw.pid());
            String report = "before " + before + ", after " + after + ", outcomes " + outcomes;
            assertTrue(after.threads() <= before.threads() + 5, "threads left behind: " + report);
            assertTrue(after.fds() <= before.fds() + 5, "file descriptors left behind: " + report);
            assertTrue(after.heapKb() <= before.heapKb() * 3 / 2 + 10_240, "heap grew: " + report);
            for (String kind : KINDS) {
                assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith(kind)), kind + " never ran");
            }
            // faults elsewhere never spill over: every request to the healthy instance whose client stayed is served
            assertTrue(outcomes.keySet().stream().filter(k -> k.startsWith("healthy"))
                    .allMatch(k -> k.equals("healthy 200") || k.equals("healthy left")), report);
            assertTrue(!gw.output.toString().contains("failed unexpectedly"), gw.output.toString());
        }
    }

    private static String yaml(List<String> urls) {
        StringBuilder b = new StringBuilder("""
                server: { host: 127.0.0.1, port: 0 }
                admin: { port: 0 }
                registry: { store: memory }
                invocation: { response-start-timeout: 1s }
                dispatch: { ejection: { max-share: 0 } }
                functions:
                """);
        for (int i = 0; i < urls.size(); i++) {
            b.append("""
                      - id: %s
                        name: %s
                        versions:
                          - id: %s
                            max-request-concurrency: 64
                            instances: [ { url: "%s" } ]
                    """.formatted(fn(i), KINDS[i], UUID.nameUUIDFromBytes(("v" + i).getBytes(StandardCharsets.UTF_8)),
                    urls.get(i)));
        }
        return b.toString();
    }

    private static UUID fn(int i) {
        return UUID.nameUUIDFromBytes(("soak-" + i).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} requests, 32 at a time: mostly healthy, the rest spread over the faults and leaving clients. */
    private static Map<String, AtomicInteger> drive(int port, int n) throws InterruptedException {
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        Semaphore bound = new Semaphore(32);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i % 100;
                // one in a hundred hangs (each costs the 1 s response-start timeout); the rest spread evenly
                int kind = k < 55 ? 0 : k < 66 ? 1 : k < 77 ? 2 : k < 78 ? 3 : k < 89 ? 4 : 5;
                boolean leave = k % 9 == 4;
                bound.acquire();
                clients.submit(() -> {
                    try {
                        String got = exchange(port, fn(kind), kind == 0 ? "/work?ms=20" : "/x", leave);
                        outcomes.computeIfAbsent(KINDS[kind] + (leave ? " left" : " " + got),
                                x -> new AtomicInteger()).incrementAndGet();
                    } finally {
                        bound.release();
                    }
                });
            }
        }
        return outcomes;
    }

    private static String exchange(int port, UUID function, String path, boolean leave) {
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + function + ".invocation.example.com\r\n\r\n";
        if (!leave) {
            return io.fngate.e2e.RawHttp.status(port, request);
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            sleep(10);
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // gone either way
        }
        return "left";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A process's threads (platform and virtual), open descriptors and heap used after a full GC. */
    record Usage(int threads, int fds, long heapKb) {
        private static final Pattern USED = Pattern.compile("used (\\d+)K");

        static Usage of(long pid) throws IOException, InterruptedException {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid), "GC.run");
            Matcher m = USED.matcher(run(jcmd, Long.toString(pid), "GC.heap_info"));
            long heap = 0;
            while (m.find()) {
                heap = Math.max(heap, Long.parseLong(m.group(1)));
            }
            Path dump = Files.createTempFile("fngate-threads", ".json");
            Files.delete(dump);
            run(jcmd, Long.toString(pid), "Thread.dump_to_file", "-format=json", dump.toString());
            int threads = countOccurrences(Files.readString(dump), "\"tid\":");
            Files.deleteIfExists(dump);
            int fds;
            try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                fds = (int) list.count();
            }
            return new Usage(threads, fds, heap);
        }

        private static int countOccurrences(String text, String what) {
            int n = 0;
            for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
                n++;
            }
            return n;
        }

        private static String run(String... cmd) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        }
    }

    /** A container that reads a request head and then misbehaves as told; one thread per connection. */
    static final class Misbehaving implements AutoCloseable {
        interface Act {
            void on(OutputStream out) throws IOException;
        }

        private final ServerSocket socket;

        Misbehaving(Act act) throws IOException {
            socket = new ServerSocket(0, 512, java.net.InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                var in = s.getInputStream();
                                int last = 0;
                                int c;
                                while ((c = in.read()) >= 0) { // until the blank line ending the head
                                    last = (last << 8 | c) & 0xFFFFFFFF;
                                    if (last == 0x0D0A0D0A) {
                                        break;
                                    }
                                }
                                act.on(s.getOutputStream());
                            } catch (IOException e) {
                                try {
                                    s.setSoLinger(true, 0); // a reset, not a close
                                } catch (IOException ignored) {
                                    // already gone
                                }
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
