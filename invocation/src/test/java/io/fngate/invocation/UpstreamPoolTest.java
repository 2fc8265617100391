package io.fngate.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fngate.registry.Instance;
import org.junit.jupiter.api.Test;

class UpstreamPoolTest {

    /** Instances that accept connections and hold them open. */
    private static List<ServerSocket> listeners(int n) throws IOException {
        List<ServerSocket> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            List<Socket> held = new ArrayList<>();
            Thread.ofVirtual().start(() -> {
                while (!s.isClosed()) {
                    try {
                        held.add(s.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            l.add(s);
        }
        return l;
    }

    private static Instance instance(ServerSocket s) {
        return Instance.parse("http://127.0.0.1:" + s.getLocalPort());
    }

    @Test
    void instancesThatComeAndGoLeaveNoEntriesBehind() throws Exception {
        List<ServerSocket> servers = listeners(30);
        try (UpstreamPool pool = new UpstreamPool(Duration.ofSeconds(2), Duration.ofMillis(200), 4, 16, UpstreamTls.systemDefault())) {
            for (ServerSocket s : servers) {
                UpstreamConnection c = pool.acquire(instance(s), false);
                pool.release(c); // idle, then swept after 200 ms
            }
            assertEquals(30, pool.instancesTracked());
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while ((pool.instancesTracked() > 0 || pool.openConnections() > 0) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertEquals(0, pool.openConnections());
            assertEquals(0, pool.instancesTracked(), "entries of instances with nothing open are forgotten");
        } finally {
            for (ServerSocket s : servers) {
                s.close();
            }
        }
    }

    @Test
    void noMoreThanTheCapIsOpenToOneInstance() throws Exception {
        List<ServerSocket> servers = listeners(1);
        try (UpstreamPool pool = new UpstreamPool(Duration.ofMillis(300), Duration.ofSeconds(10), 4, 3, UpstreamTls.systemDefault())) {
            Instance i = instance(servers.getFirst());
            List<UpstreamConnection> held = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                held.add(pool.acquire(i, false));
            }
            long t0 = System.nanoTime();
            assertThrows(UpstreamPool.Exhausted.class, () -> pool.acquire(i, false));
            assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(250).toNanos(), "it waited for one to free up");
            pool.release(held.removeFirst());
            UpstreamConnection again = pool.acquire(i, false); // the released one
            assertEquals(3, pool.openConnections());
            pool.abort(again);
            held.forEach(pool::abort);
            assertEquals(0, pool.openConnections());
        } finally {
            servers.getFirst().close();
        }
    }

    @Test
    void aClosedIdleConnectionIsCheckedForUnlessTheRequestCanBeRetried() throws Exception {
        // an instance that closes every connection it accepts, as a container closing idle keep-alives does
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             UpstreamPool pool = new UpstreamPool(Duration.ofSeconds(2), Duration.ofSeconds(10), 4, 16,
                     UpstreamTls.systemDefault())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        server.accept().close();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Instance i = instance(server);
            UpstreamConnection first = pool.acquire(i, false);
            pool.release(first);
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!first.isStale() && System.nanoTime() < until) {
                Thread.sleep(10); // the FIN arrives
            }
            assertTrue(first.isStale());
            assertEquals(first, pool.acquire(i, true), "a retryable request skips the check (a syscall) on a "
                    + "connection idle under a second: the retry covers it");
            pool.release(first);
            UpstreamConnection checked = pool.acquire(i, false);
            assertTrue(checked != first, "a request that cannot be retried never gets the closed connection");
            pool.abort(checked);
        }
    }

    /** An instance that answers each connection with one byte, 300 ms after accepting it. */
    private static ServerSocket slowByteServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            Thread.sleep(300);
                            s.getOutputStream().write('x');
                            Thread.sleep(5000);
                        } catch (IOException | InterruptedException e) {
                            // the test closed it
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    @Test
    void aReadWaitingPastItsExpiryFailsAsATimeoutAndFreesTheConnection() throws Exception {
        try (ServerSocket server = slowByteServer();
             UpstreamPool pool = new UpstreamPool(Duration.ofSeconds(2), Duration.ofSeconds(10), 4, 16,
                     UpstreamTls.systemDefault())) {
            UpstreamConnection c = pool.acquire(instance(server), false);
            long start = System.nanoTime();
            pool.expireReads(c, Duration.ofMillis(100));
            assertThrows(SocketTimeoutException.class, () -> c.in().read());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis >= 100 && tookMillis < 290, "expired after " + tookMillis + " ms");
            assertTrue(c.isClosed());
            // the watchdog closes the socket, which wakes the read, and then counts the connection closed
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (pool.openConnections() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, pool.openConnections(), "the aborted connection still counts as open");
        }
    }

    @Test
    void anExpiryEndsOnlyAReadAndIsDroppedWhenTheConnectionGoesBack() throws Exception {
        try (ServerSocket server = slowByteServer();
             UpstreamPool pool = new UpstreamPool(Duration.ofSeconds(2), Duration.ofSeconds(10), 4, 16,
                     UpstreamTls.systemDefault())) {
            Instance i = instance(server);
            UpstreamConnection idle = pool.acquire(i, false);
            pool.expireReads(idle, Duration.ofMillis(20));
            Thread.sleep(100);
            assertTrue(!idle.isClosed(), "a connection nobody reads was aborted at its expiry");
            pool.release(idle);
            UpstreamConnection again = pool.acquire(i, true);
            assertEquals(idle, again);
            assertEquals('x', again.in().read(), "the expiry armed before the release ended a later read");
            pool.abort(again);
        }
    }

    @Test
    void anExpiryFarAheadIsNotLookedAtEveryTick() throws Exception {
        try (ServerSocket server = slowByteServer();
             UpstreamPool pool = new UpstreamPool(Duration.ofSeconds(2), Duration.ofSeconds(10), 64, 64,
                     UpstreamTls.systemDefault())) {
            List<UpstreamConnection> held = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                UpstreamConnection c = pool.acquire(instance(server), false);
                pool.expireReads(c, Duration.ofHours(1)); // an event stream's read waits until its deadline
                held.add(c);
            }
            awaitScheduled(pool, 20);
            Thread.sleep(30 * UpstreamPool.EXPIRY_TICK_MILLIS);
            for (UpstreamConnection c : held) {
                pool.expireReads(c, Duration.ofHours(1)); // every read arms it again, a little later
            }
            Thread.sleep(5 * UpstreamPool.EXPIRY_TICK_MILLIS);
            assertEquals(0, pool.expiries().looks(), "connections looked at long before their expiry");
            held.forEach(pool::abort);
            awaitScheduled(pool, 0); // closed connections leave the schedule at once, not in an hour
        }
    }

    @Test
    void anExpiryArmedSoonerThanPlannedStillEndsTheReadInTime() throws Exception {
        try (ServerSocket server = slowByteServer();
             UpstreamPool pool = smallPool()) {
            UpstreamConnection c = pool.acquire(instance(server), false);
            pool.expireReads(c, Duration.ofHours(1));
            awaitScheduled(pool, 1);
            long start = System.nanoTime();
            pool.expireReads(c, Duration.ofMillis(100));
            assertReadExpires(c, start, 100, 290);
        }
    }

    @Test
    void anExpiryMovedLaterIsActedOnAtItsNewTime() throws Exception {
        try (ServerSocket server = slowByteServer();
             UpstreamPool pool = smallPool()) {
            UpstreamConnection c = pool.acquire(instance(server), false);
            long start = System.nanoTime();
            pool.expireReads(c, Duration.ofMillis(40));
            awaitScheduled(pool, 1);
            pool.expireReads(c, Duration.ofMillis(160)); // as a body's next read does
            assertReadExpires(c, start, 160, 290);
        }
    }

    @Test
    void anExpiryArmedAgainAfterASocketTimeoutStillEndsTheRead() throws Exception {
        try (ServerSocket server = slowByteServer();
             UpstreamPool pool = smallPool()) {
            UpstreamConnection c = pool.acquire(instance(server), false);
            pool.expireReads(c, Duration.ofMillis(20));
            c.readTimeout(Duration.ofSeconds(5)); // lifts the expiry (a poll's wait): the watchdog drops its entry
            Thread.sleep(60);
            long start = System.nanoTime();
            pool.expireReads(c, Duration.ofMillis(100));
            assertReadExpires(c, start, 0, 250);
        }
    }

    /** The pool of the expiry tests: 4 idle and 16 open connections at most per instance. */
    private static UpstreamPool smallPool() {
        return new UpstreamPool(Duration.ofSeconds(2), Duration.ofSeconds(10), 4, 16, UpstreamTls.systemDefault());
    }

    /**
     * A read on {@code c} fails as a timeout (before the slow server's byte, at 300 ms) between {@code minMillis}
     * and {@code maxMillis} after {@code start}.
     */
    private static void assertReadExpires(UpstreamConnection c, long start, long minMillis, long maxMillis) {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(SocketTimeoutException.class,
                () -> c.in().read(), "the read outlived its expiry"));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= minMillis && tookMillis < maxMillis, "expired after " + tookMillis + " ms");
    }

    private static void awaitScheduled(UpstreamPool pool, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (pool.expiries().scheduled() != n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(n, pool.expiries().scheduled(), "entries in the expiry schedule");
    }

    @Test
    void theWatcherTickerStopsWithItsOwner() throws Exception {
        ClientWatcher watcher = new ClientWatcher(Duration.ofSeconds(1));
        Thread ticker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("fngate-client-watch") && t.isAlive()).findFirst().orElseThrow();
        watcher.close();
        ticker.join(2000);
        assertTrue(!ticker.isAlive(), "the client watch ticker outlived its handler");
    }
}
