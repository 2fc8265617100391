package io.fngate.e2e.dispatch;

import static io.fngate.e2e.dispatch.DispatchGateway.FN;
import static io.fngate.e2e.dispatch.DispatchGateway.V1;
import static io.fngate.e2e.dispatch.DispatchGateway.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fngate.server.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Far more load than the instances can take: every client still gets a real HTTP answer, no instance goes over
 * its limit, and every slot and queue place is given back afterwards.
 */
@Timeout(180)
class OverloadTest {

    @Test
    void tenTimesCapacityForThirtySecondsAlwaysAnswersWithAStatus() throws Exception {
        try (CountingFunction a = CountingFunction.start("a"); CountingFunction b = CountingFunction.start("b")) {
            Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 2, List.of(a.url(), b.url()))),
                    Map.of("dispatch.max-queue-size", "20"));
            try {
                // capacity: 2 instances x 2 slots / 100 ms = 40 requests/s; offered: 400/s, open loop, for 30 s
                Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
                ConcurrentLinkedQueue<String> oddities = new ConcurrentLinkedQueue<>();
                Semaphore bound = new Semaphore(2000); // never more than this many clients at once (a bounded loop)
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                long next = System.nanoTime();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    while (System.nanoTime() < end) {
                        next += TimeUnit.MICROSECONDS.toNanos(2500);
                        long sleep = next - System.nanoTime();
                        if (sleep > 0) {
                            TimeUnit.NANOSECONDS.sleep(sleep);
                        }
                        bound.acquire();
                        clients.submit(() -> {
                            try {
                                String outcome = io.fngate.e2e.RawHttp.status(g.publicPort(), "GET /work?ms=100 HTTP/1.1\r\nHost: " + FN
                                        + ".invocation.example.com\r\nNVCF-POLL-SECONDS: 1\r\nConnection: close\r\n\r\n");
                                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                                if (!outcome.equals("200") && !outcome.equals("429") && !outcome.equals("504")) {
                                    oddities.add(outcome);
                                }
                            } finally {
                                bound.release();
                            }
                        });
                    }
                }
                assertTrue(oddities.isEmpty(), "answers other than 200/429/504: " + outcomes);
                int served = outcomes.getOrDefault("200", new AtomicInteger()).get();
                assertTrue(served > 40 * 30 * 0.7, "goodput collapsed: " + outcomes);
                assertTrue(outcomes.containsKey("429"), "the queue never filled: " + outcomes);
                assertTrue(a.maxInFlight.get() <= 2 && b.maxInFlight.get() <= 2,
                        "an instance went over its limit: " + a.maxInFlight + ", " + b.maxInFlight);
                await("slots and queue places given back", () -> g.dispatcher().inFlight() == 0
                        && g.dispatcher().queued() == 0, Duration.ofSeconds(5));
            } finally {
                g.close();
            }
        }
    }

    @Test
    void tenThousandMixedRequestsLeaveEverySlotReleased() throws Exception {
        try (CountingFunction a = CountingFunction.start("a"); CountingFunction b = CountingFunction.start("b")) {
            Gateway g = DispatchGateway.start(List.of(new DispatchGateway.Version(V1, 4, List.of(a.url(), b.url()))),
                    Map.of("dispatch.max-queue-size", "30"));
            try {
                Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
                Semaphore bound = new Semaphore(48);
                // A request the gateway gives up on (client gone, response-start timeout) frees its slot when the
                // upstream connection is reset, but this fake notices the reset only when it writes: the instance
                // may then briefly run more than the limit. What the gateway itself holds never exceeds it.
                AtomicInteger maxHeld = new AtomicInteger();
                List<io.fngate.registry.Instance> instances = List.of(io.fngate.registry.Instance.parse(a.url()),
                        io.fngate.registry.Instance.parse(b.url()));
                Thread sampler = Thread.ofVirtual().start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (var i : instances) {
                            g.dispatcher().load(V1, i).ifPresent(l -> maxHeld.accumulateAndGet(l.inFlight(), Math::max));
                        }
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < 10_000; i++) {
                        int kind = i % 100;
                        bound.acquire();
                        clients.submit(() -> {
                            try {
                                outcomes.computeIfAbsent(kindName(kind) + " " + mixed(g.publicPort(), kind),
                                        k -> new AtomicInteger()).incrementAndGet();
                            } finally {
                                bound.release();
                            }
                        });
                    }
                }
                sampler.interrupt();
                await("every slot and queue place given back", () -> g.dispatcher().inFlight() == 0
                        && g.dispatcher().queued() == 0, Duration.ofSeconds(10));
                assertEquals(4, maxHeld.get(), "slots held on one instance at most");
                for (String kind : List.of("ok 200", "error 500", "stream 200", "timeout 504")) {
                    assertTrue(outcomes.containsKey(kind), kind + " never happened: " + outcomes);
                }
            } finally {
                g.close();
            }
        }
    }

    private static String kindName(int kind) {
        if (kind < 60) {
            return "ok";
        }
        if (kind < 75) {
            return "error";
        }
        if (kind < 90) {
            return "gone";
        }
        if (kind < 99) {
            return "stream";
        }
        return "timeout";
    }

    /** One request of the mix; returns the status, or what happened instead. */
    private static String mixed(int port, int kind) {
        String host = "Host: " + FN + ".invocation.example.com\r\n";
        return switch (kindName(kind)) {
        case "ok" -> io.fngate.e2e.RawHttp.status(port, "GET /work?ms=1 HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
        case "error" -> io.fngate.e2e.RawHttp.status(port, "POST /work?status=500 HTTP/1.1\r\n" + host
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
        case "gone" -> leave(port, "GET /work?ms=50 HTTP/1.1\r\n" + host + "\r\n", kind % 3 * 20);
        case "stream" -> io.fngate.e2e.RawHttp.status(port, "GET /stream?events=3&gap=5 HTTP/1.1\r\n" + host
                + "Connection: close\r\n\r\n");
        default -> io.fngate.e2e.RawHttp.status(port, "GET /work?ms=1500 HTTP/1.1\r\n" + host
                + "NVCF-POLL-SECONDS: 1\r\nConnection: close\r\n\r\n");
        };
    }

    /** Sends a request, then closes the connection after {@code afterMs} without reading the answer. */
    private static String leave(int port, String raw, int afterMs) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(afterMs);
            s.setSoLinger(true, 0);
            return "left";
        } catch (IOException | InterruptedException e) {
            return "left";
        }
    }
}
