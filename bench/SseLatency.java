/*
 * bench/SseLatency.java: per-event SSE latency (container write -> client read), direct and through proxies.
 *
 * Run with the JDK's source launcher (JDK 21 or newer), no build needed:
 *
 *   java bench/SseLatency.java upstream PORT
 *       an SSE "function container" on 127.0.0.1:PORT, until killed
 *
 *   java bench/SseLatency.java idle --target URL --streams N [--host HOST] [--ready-file F] [--hold S]
 *       opens N event streams (GET /hold) through URL, waits for the first event of each, then holds them all
 *       open for S seconds [600] and exits; "opened N failed F" goes to the ready file (and stderr) once every
 *       stream is open or has failed, so that a script can measure the proxy while the streams are held
 *
 *   java bench/SseLatency.java run --upstream-port P --target direct=http://127.0.0.1:P \
 *        --target nginx=http://127.0.0.1:N --target fngate=http://127.0.0.1:F [options]
 *       starts the same upstream in this JVM (when --upstream-port is given), then measures each target in turn
 *       and prints a side-by-side table
 *
 * run options (defaults in brackets):
 *   --target NAME=URL      a target to measure, in order; repeatable. The first one is the baseline ("direct")
 *   --host HOST            Host header for every request [the target URL's host:port]
 *   --streams S[,S...]     concurrent streams; a comma list runs one scenario per value [50]
 *   --events N             events per stream [200]
 *   --interval MS          time between two events of one stream [20]
 *   --skip K               events skipped at the start of every stream (warm-up) [10]
 *   --warmup-events N      events per stream of a discarded warm-up run against every target, 0 for none [200]
 *   --warmup-interval MS   interval of that warm-up run [5]
 *   --goal-us US           the goal: added p99 over the baseline below this many microseconds [1000]
 *   --ready-timeout S      seconds each target has to stream a first short probe [60]
 *   --session NAME=SID     the processes of session SID (setsid) are target NAME's own: their CPU is reported
 *   --clk-tck HZ           clock ticks per second of /proc accounting (getconf CLK_TCK) [100]
 *   --max-other PCT        a measurement during which other work on the machine used more than PCT % of a core
 *                          is repeated, after 5 s, at most --retries times [25]
 *   --retries N            see --max-other; 0 never repeats [3]
 *   --summary FILE         also append one line per scenario and target to FILE, for scripts:
 *                          "streams target events failed p50 p99 max ttfe_p50 ttfe_p99 target_ticks" (times in ns,
 *                          -1 when unknown; ttfe = time to first event, from connect to the first complete event)
 *
 * How it measures: the upstream writes each event as one HTTP chunk "data: <System.nanoTime()>\n\n" with one
 * write on a TCP_NODELAY socket. The client (same JVM, so the same clock) reads each stream's socket on its own
 * platform thread with a small buffer, decodes the response (chunked, Content-Length or until close) and the
 * SSE lines as the bytes arrive, and takes System.nanoTime() when the blank line that completes an event has
 * been read. delay = that time - the time in "data:". Every stream starts its own schedule (event k is due at
 * stream start + k * interval, no drift); the streams of a scenario are started spread over one interval, so
 * the load is steady rather than in bursts.
 *
 * The upstream also serves GET /hold: one event at once, then nothing until the client (or proxy) closes the
 * connection. The idle mode uses it.
 *
 * Exit status: 0 when every stream of every measured run was complete, 2 when a target had errors (the table
 * is printed all the same), 1 on a usage error or when a target never answered the probe.
 */

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

public class SseLatency {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("missing mode");
        }
        switch (args[0]) {
            case "upstream" -> {
                if (args.length != 2) {
                    usage("upstream takes one argument: PORT");
                }
                Upstream up = Upstream.start(parsePort(args[1]));
                System.err.println("sse-latency: upstream listening on 127.0.0.1:" + up.port());
                Thread.currentThread().join(); // until killed
            }
            case "run" -> System.exit(Runner.fromArgs(Arrays.copyOfRange(args, 1, args.length)).run());
            case "idle" -> System.exit(Idle.fromArgs(Arrays.copyOfRange(args, 1, args.length)).run());
            case "-h", "--help", "help" -> {
                printUsage();
                System.exit(0);
            }
            default -> usage("unknown mode " + args[0]);
        }
    }

    static void printUsage() {
        System.err.println("""
                usage: java SseLatency.java upstream PORT
                       java SseLatency.java idle --target URL --streams N [--host HOST] [--ready-file FILE]
                            [--hold S] [--open-concurrency C] [--open-timeout S]
                       java SseLatency.java run [--upstream-port P] --target NAME=URL [--target NAME=URL ...]
                            [--host HOST] [--streams S[,S...]] [--events N] [--interval MS] [--skip K]
                            [--warmup-events N] [--warmup-interval MS] [--goal-us US] [--ready-timeout S]
                            [--session NAME=SID ...] [--clk-tck HZ] [--max-other PCT] [--retries N]
                            [--summary FILE]""");
    }

    static void usage(String why) {
        System.err.println("sse-latency: " + why);
        printUsage();
        System.exit(1);
    }

    static int parsePort(String s) {
        int p = parseInt("port", s);
        if (p < 1 || p > 65535) {
            usage("bad port " + s);
        }
        return p;
    }

    static int parseInt(String what, String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            usage(what + ": not a whole number: " + s);
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------------ upstream

    /** The SSE "function container": raw HTTP/1.1 over a ServerSocket, one virtual thread per connection. */
    static final class Upstream {
        private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/event-stream\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        /** Events written more than LATE_NS after they were due (the container's own scheduling delay). */
        static final java.util.concurrent.atomic.LongAdder LATE_EVENTS = new java.util.concurrent.atomic.LongAdder();
        static final java.util.concurrent.atomic.AtomicLong MAX_LATE_NS = new java.util.concurrent.atomic.AtomicLong();
        static final long LATE_NS = TimeUnit.MILLISECONDS.toNanos(1);

        private final ServerSocket server;

        private Upstream(ServerSocket server) {
            this.server = server;
        }

        static Upstream start(int port) throws IOException {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 4096);
            Upstream up = new Upstream(ss);
            Thread.ofPlatform().daemon().name("upstream-accept").start(up::acceptLoop);
            return up;
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        System.err.println("sse-latency: upstream accept failed: " + e);
                    }
                }
            }
        }

        /** Serves requests on one connection until the peer closes it or asks to (keep-alive otherwise). */
        private void serve(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                // buffered: the head is parsed a byte at a time, and unbuffered that was a read(2) per byte. A
                // proxy's forwarded head is longer than a client's (fngate's ~500 bytes): the upstream then spent
                // ~0.5 ms more CPU per proxied stream, on the core the proxy shares, where real servers read heads
                // in one go
                InputStream in = new BufferedInputStream(s.getInputStream(), 8 * 1024);
                OutputStream out = s.getOutputStream();
                HeadBuffer head = new HeadBuffer();
                while (true) {
                    Request req = head.readRequest(in);
                    if (req == null) {
                        return; // closed between requests
                    }
                    if (req.contentLength > 0) {
                        in.skipNBytes(req.contentLength);
                    }
                    if (req.path.equals("/sse")) {
                        stream(out, req.query("n", 200), req.query("interval", 20));
                    } else if (req.path.equals("/hold")) {
                        hold(in, out);
                        return;
                    } else {
                        byte[] body = (req.path.equals("/health") ? "ok\n" : "not found\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        String status = req.path.equals("/health") ? "200 OK" : "404 Not Found";
                        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: "
                                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.flush();
                    }
                    if (req.close) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away: nothing to do
            }
        }

        /** n events, event k due at start + k * interval; each one chunk written with one write. */
        private static void stream(OutputStream out, int n, int intervalMs) throws IOException {
            out.write(HEAD);
            out.flush();
            long intervalNs = TimeUnit.MILLISECONDS.toNanos(Math.max(0, intervalMs));
            long start = System.nanoTime();
            byte[] chunk = new byte[64];
            for (int k = 0; k < n; k++) {
                long due = start + k * intervalNs;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long now = System.nanoTime();
                if (now - due > LATE_NS) {
                    LATE_EVENTS.increment();
                    MAX_LATE_NS.accumulateAndGet(now - due, Math::max);
                }
                int len = encodeEvent(chunk, now);
                out.write(chunk, 0, len);
                out.flush();
            }
            out.write(LAST_CHUNK);
            out.flush();
        }

        /**
         * An idle event stream: the head and one event at once, then nothing until the peer closes the connection
         * (a proxy does not send the next request on a connection whose response is still running, so the read
         * only returns at the close).
         */
        private static void hold(InputStream in, OutputStream out) throws IOException {
            out.write(HEAD);
            byte[] chunk = new byte[64];
            out.write(chunk, 0, encodeEvent(chunk, System.nanoTime()));
            out.flush();
            byte[] sink = new byte[256];
            while (in.read(sink) >= 0) {
                // discard: nothing is expected
            }
        }

        /** Writes "<hex len>\r\ndata: <ts>\n\n\r\n" into buf; returns its length. */
        static int encodeEvent(byte[] buf, long ts) {
            byte[] digits = Long.toString(ts).getBytes(StandardCharsets.US_ASCII);
            int payload = 6 + digits.length + 2; // "data: " + ts + "\n\n"
            byte[] hex = Integer.toHexString(payload).getBytes(StandardCharsets.US_ASCII);
            int p = 0;
            System.arraycopy(hex, 0, buf, p, hex.length);
            p += hex.length;
            buf[p++] = '\r';
            buf[p++] = '\n';
            for (byte b : "data: ".getBytes(StandardCharsets.US_ASCII)) {
                buf[p++] = b;
            }
            System.arraycopy(digits, 0, buf, p, digits.length);
            p += digits.length;
            buf[p++] = '\n';
            buf[p++] = '\n';
            buf[p++] = '\r';
            buf[p++] = '\n';
            return p;
        }
    }

    record Request(String path, Map<String, String> params, long contentLength, boolean close) {
        int query(String name, int dflt) {
            String v = params.get(name);
            if (v == null) {
                return dflt;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
    }

    /** Reads request heads byte-wise (a GET carries nothing after its head that we would swallow). */
    static final class HeadBuffer {
        private final byte[] buf = new byte[16 * 1024];

        Request readRequest(InputStream in) throws IOException {
            int len = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (len == 0) {
                        return null;
                    }
                    throw new IOException("connection closed inside a request head");
                }
                if (len == buf.length) {
                    throw new IOException("request head too large");
                }
                buf[len++] = (byte) b;
                if (len >= 4 && buf[len - 4] == '\r' && buf[len - 3] == '\n' && buf[len - 2] == '\r'
                        && buf[len - 1] == '\n') {
                    break;
                }
                if (len == 2 && buf[0] == '\r' && buf[1] == '\n') {
                    len = 0; // tolerate a stray CRLF between requests
                }
            }
            String[] lines = new String(buf, 0, len - 4, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length < 2) {
                throw new IOException("bad request line: " + lines[0]);
            }
            String target = requestLine[1];
            String version = requestLine.length > 2 ? requestLine[2] : "HTTP/1.0";
            boolean close = !version.equals("HTTP/1.1");
            long contentLength = 0;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("connection")) {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) {
                        close = true;
                    } else if (v.contains("keep-alive")) {
                        close = false;
                    }
                } else if (name.equals("content-length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equals("transfer-encoding")) {
                    throw new IOException("chunked request bodies are not supported by this upstream");
                }
            }
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            Map<String, String> params = new LinkedHashMap<>();
            if (q >= 0) {
                for (String kv : target.substring(q + 1).split("&")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        params.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
            return new Request(path, params, contentLength, close);
        }
    }

    // ------------------------------------------------------------------------------------------------ client

    /** What one stream saw. */
    static final class StreamResult {
        long[] delays;          // ns, events after the skipped ones
        int recorded;
        int events;             // all events received, skipped ones included
        int keepAliveComments;
        int heldReads;          // reads that completed counted events written half an interval or more apart
        long firstEventNs = -1; // time from the connect to the first complete event
        String error;           // null when the stream was complete
    }

    /**
     * One stream: raw socket, HTTP/1.1 GET, response decoded incrementally as bytes arrive (head, then chunked,
     * Content-Length or close-delimited body), SSE lines parsed from the body bytes.
     */
    static final class StreamClient {
        private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILER, BODY_LENGTH, BODY_CLOSE, DONE }

        private final URI target;
        private final String host;
        private final int events;
        private final int intervalMs;
        private final int skip;
        private final StreamResult r = new StreamResult();

        // response decoding
        private State state = State.HEAD;
        private final byte[] head = new byte[16 * 1024];
        private int headLen;
        private int status;
        private long remaining;             // chunk or Content-Length bytes left
        private final StringBuilder sizeLine = new StringBuilder();
        private int trailerLineLen;
        private boolean sawCr;              // CHUNK_CRLF: CR seen

        // SSE parsing
        private final byte[] line = new byte[1024];
        private int lineLen;
        private boolean lineOverflow;
        private boolean lastWasCr;
        private boolean hasData;
        private long data;
        private boolean dataValid;
        private int eventsThisRead;
        private int firstIndexThisRead;
        private long firstWriteThisRead;
        private long lastWriteThisRead;
        private long startedNs;

        StreamClient(URI target, String host, int events, int intervalMs, int skip) {
            this.target = target;
            this.host = host;
            this.events = events;
            this.intervalMs = intervalMs;
            this.skip = skip;
            r.delays = new long[Math.max(0, events - skip)];
        }

        StreamResult run() {
            int port = target.getPort() > 0 ? target.getPort() : 80;
            // no event for this long (interval plus slack, proxies' keep-alive comments aside) is a stall
            int readTimeoutMs = Math.max(15_000, intervalMs * 5);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) events * intervalMs + 60_000);
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                startedNs = System.nanoTime();
                s.connect(new InetSocketAddress(target.getHost(), port), 5_000);
                s.setSoTimeout(readTimeoutMs);
                String base = target.getRawPath() == null || target.getRawPath().isEmpty()
                        || target.getRawPath().equals("/") ? "" : stripSlash(target.getRawPath());
                String req = "GET " + base + "/sse?n=" + events + "&interval=" + intervalMs + " HTTP/1.1\r\n"
                        + "Host: " + host + "\r\n"
                        + "Accept: text/event-stream\r\n"
                        + "Cache-Control: no-cache\r\n"
                        + "\r\n";
                OutputStream out = s.getOutputStream();
                out.write(req.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[512];
                while (state != State.DONE) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("stream did not end in time");
                    }
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (SocketTimeoutException e) {
                        throw new IOException("no bytes for " + readTimeoutMs + " ms (stalled stream)");
                    }
                    if (n < 0) {
                        if (state == State.BODY_CLOSE) {
                            bodyEnd();
                            state = State.DONE;
                            break;
                        }
                        throw new IOException("connection closed before the response ended (state " + state + ")");
                    }
                    eventsThisRead = 0;
                    feed(buf, n);
                    // Events written apart that arrive together: the earlier one was held back on the way.
                    // Events written together (the container catching up) do not count.
                    if (eventsThisRead > 1 && firstIndexThisRead >= skip
                            && lastWriteThisRead - firstWriteThisRead >= TimeUnit.MILLISECONDS.toNanos(intervalMs) / 2) {
                        r.heldReads++;
                    }
                }
                if (r.error == null && r.events != events) {
                    r.error = "received " + r.events + " of " + events + " events";
                }
            } catch (IOException | RuntimeException e) {
                r.error = (r.error == null ? "" : r.error + "; ") + e.getMessage()
                        + " (after " + r.events + " of " + events + " events)";
            }
            return r;
        }

        private static String stripSlash(String p) {
            return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        }

        private void feed(byte[] buf, int n) throws IOException {
            int i = 0;
            while (i < n && state != State.DONE) {
                switch (state) {
                    case HEAD -> {
                        byte b = buf[i++];
                        if (headLen == head.length) {
                            throw new IOException("response head too large");
                        }
                        head[headLen++] = b;
                        if (headLen >= 4 && head[headLen - 4] == '\r' && head[headLen - 3] == '\n'
                                && head[headLen - 2] == '\r' && head[headLen - 1] == '\n') {
                            parseHead();
                        }
                    }
                    case CHUNK_SIZE -> {
                        byte b = buf[i++];
                        if (b == '\n') {
                            String l = sizeLine.toString().trim();
                            sizeLine.setLength(0);
                            int semi = l.indexOf(';');
                            if (semi >= 0) {
                                l = l.substring(0, semi).trim();
                            }
                            if (l.isEmpty()) {
                                throw new IOException("empty chunk size line");
                            }
                            remaining = Long.parseLong(l, 16);
                            if (remaining == 0) {
                                state = State.TRAILER;
                                trailerLineLen = 0;
                            } else {
                                state = State.CHUNK_DATA;
                            }
                        } else if (b != '\r') {
                            if (sizeLine.length() > 256) {
                                throw new IOException("chunk size line too long");
                            }
                            sizeLine.append((char) b);
                        }
                    }
                    case CHUNK_DATA, BODY_LENGTH -> {
                        int take = (int) Math.min(remaining, n - i);
                        body(buf, i, take);
                        i += take;
                        remaining -= take;
                        if (remaining == 0) {
                            if (state == State.CHUNK_DATA) {
                                state = State.CHUNK_CRLF;
                                sawCr = false;
                            } else {
                                bodyEnd();
                                state = State.DONE;
                            }
                        }
                    }
                    case CHUNK_CRLF -> {
                        byte b = buf[i++];
                        if (b == '\r' && !sawCr) {
                            sawCr = true;
                        } else if (b == '\n') {
                            state = State.CHUNK_SIZE;
                        } else {
                            throw new IOException("malformed chunk: no CRLF after chunk data");
                        }
                    }
                    case TRAILER -> {
                        byte b = buf[i++];
                        if (b == '\n') {
                            if (trailerLineLen == 0) {
                                bodyEnd();
                                state = State.DONE;
                            }
                            trailerLineLen = 0;
                        } else if (b != '\r') {
                            trailerLineLen++;
                        }
                    }
                    case BODY_CLOSE -> {
                        body(buf, i, n - i);
                        i = n;
                    }
                    default -> throw new IllegalStateException(state.name());
                }
            }
        }

        private void parseHead() throws IOException {
            String[] lines = new String(head, 0, headLen - 4, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] sl = lines[0].split(" ", 3);
            if (sl.length < 2 || !sl[0].startsWith("HTTP/")) {
                throw new IOException("bad status line: " + lines[0]);
            }
            status = Integer.parseInt(sl[1]);
            boolean chunked = false;
            long length = -1;
            String contentType = "";
            for (int k = 1; k < lines.length; k++) {
                int colon = lines[k].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[k].substring(colon + 1).trim();
                switch (name) {
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "content-length" -> length = Long.parseLong(value);
                    case "content-type" -> contentType = value;
                    default -> { }
                }
            }
            if (status != 200) {
                throw new IOException("status " + status + " (" + lines[0] + ")");
            }
            if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                throw new IOException("Content-Type is '" + contentType + "', not text/event-stream");
            }
            if (chunked) {
                state = State.CHUNK_SIZE;
            } else if (length >= 0) {
                remaining = length;
                state = length == 0 ? State.DONE : State.BODY_LENGTH;
            } else {
                state = State.BODY_CLOSE;
            }
        }

        /** SSE body bytes: lines end with LF, CRLF or CR; an empty line dispatches the event. */
        private void body(byte[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                byte b = buf[i];
                if (b == '\n' && lastWasCr) {
                    lastWasCr = false;
                    continue; // the LF of a CRLF
                }
                lastWasCr = b == '\r';
                if (b == '\n' || b == '\r') {
                    endOfLine();
                } else if (lineLen < line.length) {
                    line[lineLen++] = b;
                } else {
                    lineOverflow = true;
                }
            }
        }

        private void bodyEnd() {
            // an event without its closing blank line at the end of the stream is dropped, as the spec says
            lineLen = 0;
        }

        private void endOfLine() {
            if (lineLen == 0) {
                if (hasData) {
                    dispatch(System.nanoTime());
                }
                hasData = false;
                dataValid = false;
                lineOverflow = false;
                return;
            }
            if (line[0] == ':') {
                r.keepAliveComments++;
            } else if (startsWith("data:")) {
                int p = 5;
                if (p < lineLen && line[p] == ' ') {
                    p++;
                }
                hasData = true;
                dataValid = !lineOverflow;
                boolean negative = p < lineLen && line[p] == '-';
                if (negative) {
                    p++; // nanoTime may be negative
                }
                long v = 0;
                int digits = 0;
                for (; p < lineLen; p++) {
                    byte c = line[p];
                    if (c < '0' || c > '9' || digits == 19) {
                        dataValid = false;
                        break;
                    }
                    v = v * 10 + (c - '0');
                    digits++;
                }
                data = negative ? -v : v;
                dataValid &= digits > 0;
            }
            lineLen = 0;
            lineOverflow = false;
        }

        private boolean startsWith(String prefix) {
            if (lineLen < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (line[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private void dispatch(long now) {
            int index = r.events++;
            if (index == 0) {
                r.firstEventNs = now - startedNs;
            }
            if (eventsThisRead++ == 0) {
                firstIndexThisRead = index;
                firstWriteThisRead = data;
            }
            lastWriteThisRead = data;
            if (!dataValid) {
                if (r.error == null) {
                    r.error = "event " + index + " has no timestamp in data:";
                }
                return;
            }
            if (index >= skip && r.recorded < r.delays.length) {
                r.delays[r.recorded++] = now - data;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ runner

    record Target(String name, URI uri, String host) { }

    /** CPU used during one measurement, in percent of one core, and the target's clock ticks; -1 when unknown. */
    record Cpu(int target, int self, int other, long targetTicks) {
        static final Cpu UNKNOWN = new Cpu(-1, -1, -1, -1);
    }

    /** Aggregate of one target in one scenario. */
    record Stats(String target, int streams, int failedStreams, long count, long p50, long p90, long p99, long max,
                 int heldReads, long lateEvents, long maxLateNs, int keepAlives, List<String> errors, Cpu cpu,
                 long ttfeP50, long ttfeP99) {
        static Stats of(String target, List<StreamResult> results, Cpu cpu, long lateEvents, long maxLateNs) {
            long total = 0;
            for (StreamResult r : results) {
                total += r.recorded;
            }
            long[] all = new long[(int) total];
            int p = 0;
            int failed = 0;
            int held = 0;
            int keepAlives = 0;
            List<String> errors = new ArrayList<>();
            long[] firsts = results.stream().mapToLong(r -> r.firstEventNs).filter(v -> v >= 0).sorted().toArray();
            for (StreamResult r : results) {
                System.arraycopy(r.delays, 0, all, p, r.recorded);
                p += r.recorded;
                held += r.heldReads;
                keepAlives += r.keepAliveComments;
                if (r.error != null) {
                    failed++;
                    errors.add(r.error);
                }
            }
            Arrays.sort(all);
            return new Stats(target, results.size(), failed, all.length, pct(all, 50), pct(all, 90), pct(all, 99),
                    all.length == 0 ? -1 : all[all.length - 1], held, lateEvents, maxLateNs, keepAlives, errors,
                    cpu, pct(firsts, 50), pct(firsts, 99));
        }

        /** Nearest-rank percentile, or -1 for no samples. */
        static long pct(long[] sorted, double q) {
            if (sorted.length == 0) {
                return -1;
            }
            int rank = (int) Math.ceil(q / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    /** Linux CPU accounting from /proc, in clock ticks; -1 when unavailable (not Linux). */
    static final class ProcStat {
        static long machineTicks() {
            try {
                String first = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
                String[] f = first.trim().split("\\s+");
                long t = 0;
                // cpu user nice system idle iowait irq softirq steal: all but idle and iowait
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    if (i < f.length) {
                        t += Long.parseLong(f[i]);
                    }
                }
                return t;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** utime + stime of a process (all its threads); -1 when it cannot be read. */
        static long processTicks(String pid) {
            String[] f = statFields(pid);
            return f == null ? -1 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        /** Fields after "pid (comm) ": [0] is the state (field 3), [3] the session (6), [11]/[12] utime/stime. */
        static String[] statFields(String pid) {
            try {
                String st = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
                return st.substring(st.lastIndexOf(')') + 2).trim().split(" ");
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** CPU ticks used so far by all live processes of each session. */
        static Map<Integer, Long> sessionTicks(java.util.Collection<Integer> sids) {
            Map<Integer, Long> result = new java.util.HashMap<>();
            if (sids.isEmpty()) {
                return result;
            }
            try (var dir = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc"), "[0-9]*")) {
                for (var p : dir) {
                    String[] f = statFields(p.getFileName().toString());
                    if (f == null || f.length < 13) {
                        continue;
                    }
                    int sid = Integer.parseInt(f[3]);
                    if (sids.contains(sid)) {
                        result.merge(sid, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no /proc: leave the map empty
            }
            return result;
        }
    }

    static final class Runner {
        final List<Target> targets = new ArrayList<>();
        final List<Integer> streams = new ArrayList<>();
        Integer upstreamPort;
        String host;
        int events = 200;
        int intervalMs = 20;
        int skip = 10;
        int warmupEvents = 200;
        int warmupIntervalMs = 5;
        long goalUs = 1000;
        int readyTimeoutS = 60;
        int clkTck = 100;
        int maxOtherPct = 25;
        int retries = 3;
        String summaryFile;
        final Map<String, Integer> sessions = new LinkedHashMap<>(); // target name -> session id of its processes

        static Runner fromArgs(String[] a) {
            Runner r = new Runner();
            List<String[]> rawTargets = new ArrayList<>();
            for (int i = 0; i < a.length; i++) {
                String opt = a[i];
                if (i + 1 >= a.length) {
                    usage(opt + " needs a value");
                }
                String v = a[++i];
                switch (opt) {
                    case "--target" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            usage("--target wants NAME=URL, got " + v);
                        }
                        rawTargets.add(new String[] {v.substring(0, eq), v.substring(eq + 1)});
                    }
                    case "--host" -> r.host = v;
                    case "--upstream-port" -> r.upstreamPort = parsePort(v);
                    case "--streams" -> {
                        for (String s : v.split(",")) {
                            int n = parseInt("--streams", s);
                            if (n < 1) {
                                usage("--streams must be at least 1");
                            }
                            r.streams.add(n);
                        }
                    }
                    case "--events" -> r.events = parseInt(opt, v);
                    case "--interval" -> r.intervalMs = parseInt(opt, v);
                    case "--skip" -> r.skip = parseInt(opt, v);
                    case "--warmup-events" -> r.warmupEvents = parseInt(opt, v);
                    case "--warmup-interval" -> r.warmupIntervalMs = parseInt(opt, v);
                    case "--goal-us" -> r.goalUs = parseInt(opt, v);
                    case "--ready-timeout" -> r.readyTimeoutS = parseInt(opt, v);
                    case "--clk-tck" -> r.clkTck = parseInt(opt, v);
                    case "--max-other" -> r.maxOtherPct = parseInt(opt, v);
                    case "--retries" -> r.retries = parseInt(opt, v);
                    case "--summary" -> r.summaryFile = v;
                    case "--session" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            usage("--session wants TARGET=SID, got " + v);
                        }
                        r.sessions.put(v.substring(0, eq), parseInt(opt, v.substring(eq + 1)));
                    }
                    default -> usage("unknown option " + opt);
                }
            }
            if (rawTargets.isEmpty()) {
                usage("at least one --target NAME=URL is needed");
            }
            if (r.events <= r.skip) {
                usage("--events (" + r.events + ") must be larger than --skip (" + r.skip + ")");
            }
            if (r.intervalMs < 0 || r.warmupIntervalMs < 0 || r.skip < 0 || r.warmupEvents < 0) {
                usage("negative values are not allowed");
            }
            if (r.streams.isEmpty()) {
                r.streams.add(50);
            }
            for (String[] t : rawTargets) {
                URI u = URI.create(t[1]);
                if (!"http".equals(u.getScheme()) || u.getHost() == null) {
                    usage("target URL must be http://HOST:PORT[/path], got " + t[1]);
                }
                String h = r.host != null ? r.host : u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
                r.targets.add(new Target(t[0], u, h));
            }
            return r;
        }

        int run() throws Exception {
            if (upstreamPort != null) {
                Upstream.start(upstreamPort);
                log("upstream listening on 127.0.0.1:" + upstreamPort);
            }
            for (Target t : targets) {
                probe(t);
            }
            log("all targets stream a probe; java " + System.getProperty("java.version") + ", "
                    + Runtime.getRuntime().availableProcessors() + " cpus");
            int maxStreams = streams.stream().mapToInt(Integer::intValue).max().orElse(1);
            if (warmupEvents > skip) {
                for (Target t : targets) {
                    log("warm-up (discarded): " + t.name() + ", " + maxStreams + " streams x " + warmupEvents
                            + " events every " + warmupIntervalMs + " ms");
                    Stats w = measure(t, maxStreams, warmupEvents, warmupIntervalMs);
                    if (w.failedStreams() > 0) {
                        log("warm-up of " + t.name() + ": " + w.failedStreams() + " failed streams, e.g. "
                                + w.errors().get(0));
                    }
                }
            }
            Map<Integer, List<Stats>> results = new LinkedHashMap<>();
            for (int s : streams) {
                List<Stats> row = new ArrayList<>();
                for (Target t : targets) {
                    log("measuring " + t.name() + ": " + s + " streams x " + events + " events every " + intervalMs
                            + " ms (~" + ((long) events * intervalMs + intervalMs) / 1000.0 + " s)");
                    Stats st = measure(t, s, events, intervalMs);
                    for (int retry = 1; retry <= retries && st.cpu().other() > maxOtherPct; retry++) {
                        log(t.name() + ": other work used " + st.cpu().other() + "% of a core during the measurement "
                                + "(more than " + maxOtherPct + "%); measuring again in 5 s (" + retry + " of "
                                + retries + ")");
                        Thread.sleep(5000);
                        st = measure(t, s, events, intervalMs);
                    }
                    row.add(st);
                    if (st.failedStreams() > 0) {
                        log(t.name() + ": " + st.failedStreams() + " of " + s + " streams failed:");
                        st.errors().stream().distinct().limit(5).forEach(e -> log("  " + e));
                    }
                }
                results.put(s, row);
            }
            System.out.println("==== SSE per-event latency: summary ====");
            System.out.println("events " + events + " per stream every " + intervalMs + " ms, first " + skip
                    + " of each stream skipped; delay = client read complete - container write, microseconds");
            System.out.println("+p50/+p99: added over " + targets.get(0).name() + "; held: reads that delivered "
                    + "together events written half an interval or more apart; late: events the container itself wrote "
                    + "more than 1 ms behind schedule (max ms);");
            System.out.println("proxy%/bench%/other%: CPU (100 = one core) of the target's own processes, of this JVM "
                    + "(client + container), of everything else on the machine");
            System.out.println();
            boolean anyErrors = false;
            for (Map.Entry<Integer, List<Stats>> e : results.entrySet()) {
                System.out.println(table(e.getKey(), e.getValue()));
                for (Stats st : e.getValue()) {
                    anyErrors |= st.failedStreams() > 0;
                }
            }
            System.out.flush();
            if (summaryFile != null) {
                writeSummary(results);
            }
            return anyErrors ? 2 : 0;
        }

        /** One line per scenario and target, appended to the summary file (see --summary). */
        void writeSummary(Map<Integer, List<Stats>> results) throws IOException {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<Integer, List<Stats>> e : results.entrySet()) {
                for (Stats st : e.getValue()) {
                    b.append(e.getKey()).append(' ').append(st.target()).append(' ').append(st.count()).append(' ')
                            .append(st.failedStreams()).append(' ').append(st.p50()).append(' ').append(st.p99())
                            .append(' ').append(st.max()).append(' ').append(st.ttfeP50()).append(' ')
                            .append(st.ttfeP99()).append(' ').append(st.cpu().targetTicks()).append('\n');
                }
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(summaryFile), b.toString(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }

        String table(int s, List<Stats> row) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "-- scenario: %d concurrent stream%s x %d events, every %d ms --%n",
                    s, s == 1 ? "" : "s", events, intervalMs));
            b.append(String.format(Locale.ROOT, "%-8s %7s %6s %8s %8s %8s %8s %9s %9s %5s %12s %6s %6s %6s%n",
                    "target", "events", "errors", "p50 us", "p90 us", "p99 us", "max us", "+p50 us", "+p99 us", "held",
                    "late (max)", "proxy%", "bench%", "other%"));
            Stats base = row.get(0);
            for (Stats st : row) {
                boolean isBase = st == base;
                b.append(String.format(Locale.ROOT, "%-8s %7d %6d %8s %8s %8s %8s %9s %9s %5d %12s %6s %6s %6s%n",
                        st.target(), st.count(), st.failedStreams(), us(st.p50()), us(st.p90()), us(st.p99()),
                        us(st.max()), isBase ? "-" : added(st.p50(), base.p50()),
                        isBase ? "-" : added(st.p99(), base.p99()), st.heldReads(),
                        upstreamPort == null ? "-" : st.lateEvents() + (st.lateEvents() == 0 ? "" : String.format(
                                Locale.ROOT, " (%.1f)", st.maxLateNs() / 1e6)),
                        pctCell(st.cpu().target()), pctCell(st.cpu().self()), pctCell(st.cpu().other())));
            }
            for (Stats st : row) {
                if (st.cpu().other() > maxOtherPct) {
                    b.append(String.format(Locale.ROOT, "note: other work on the machine used %d%% of a core while "
                            + "%s was measured (after %d retries): its figures are noisy%n", st.cpu().other(), st.target(), retries));
                }
            }
            for (Stats st : row) {
                if (st == base) {
                    continue;
                }
                String verdict;
                if (st.count() == 0 || base.count() == 0) {
                    verdict = "NO DATA";
                } else if (st.failedStreams() > 0 || base.failedStreams() > 0) {
                    long add = (st.p99() - base.p99()) / 1000;
                    verdict = (add < goalUs ? "met on the events received" : "NOT MET")
                            + String.format(Locale.ROOT, " (+%d us), but with %d failed streams", add,
                            st.failedStreams() + base.failedStreams());
                } else {
                    long add = (st.p99() - base.p99()) / 1000;
                    verdict = (add < goalUs ? "MET" : "NOT MET") + " (+" + add + " us)";
                }
                b.append(String.format(Locale.ROOT, "goal %-6s added p99 < %d us over %s: %s%n", st.target(),
                        goalUs, base.target(), verdict));
            }
            return b.toString();
        }

        int pct(long ticks, double secs) {
            return (int) Math.round(ticks * 100.0 / clkTck / secs);
        }

        static String pctCell(int p) {
            return p < 0 ? "-" : Integer.toString(p);
        }

        static String us(long ns) {
            return ns < 0 ? "-" : Long.toString(ns / 1000);
        }

        static String added(long ns, long baseNs) {
            if (ns < 0 || baseNs < 0) {
                return "-";
            }
            long d = (ns - baseNs) / 1000;
            return (d >= 0 ? "+" : "") + d;
        }

        /** Runs `streams` concurrent streams, started spread over one interval; one platform thread each. */
        Stats measure(Target t, int streamCount, int n, int interval) throws InterruptedException {
            long m0 = ProcStat.machineTicks();
            long self0 = ProcStat.processTicks("self");
            Map<Integer, Long> sess0 = ProcStat.sessionTicks(sessions.values());
            long w0 = System.nanoTime();
            long late0 = Upstream.LATE_EVENTS.sum();
            Upstream.MAX_LATE_NS.set(0);
            List<StreamResult> results = new ArrayList<>();
            Map<Integer, StreamResult> byIndex = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(streamCount);
            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            long spacing = streamCount <= 1 ? 0 : TimeUnit.MILLISECONDS.toNanos(Math.max(1, interval)) / streamCount;
            for (int i = 0; i < streamCount; i++) {
                final int idx = i;
                final long startAt = t0 + i * spacing;
                Thread.ofPlatform().daemon().name("client-" + t.name() + "-" + i).start(() -> {
                    try {
                        long w;
                        while ((w = startAt - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(w);
                        }
                        byIndex.put(idx, new StreamClient(t.uri(), t.host(), n, interval, skip).run());
                    } catch (Throwable e) {
                        StreamResult r = new StreamResult();
                        r.delays = new long[0];
                        r.error = "client thread failed: " + e;
                        byIndex.put(idx, r);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            Cpu cpu = Cpu.UNKNOWN;
            long m1 = ProcStat.machineTicks();
            long self1 = ProcStat.processTicks("self");
            Map<Integer, Long> sess1 = ProcStat.sessionTicks(sessions.values());
            double secs = (System.nanoTime() - w0) / 1e9;
            if (m0 >= 0 && m1 >= 0 && self0 >= 0 && self1 >= 0 && secs > 0) {
                long ours = self1 - self0;
                for (Integer sid : sessions.values()) {
                    ours += sess1.getOrDefault(sid, 0L) - sess0.getOrDefault(sid, 0L);
                }
                Integer sid = sessions.get(t.name());
                long targetTicks = sid == null ? -1 : sess1.getOrDefault(sid, 0L) - sess0.getOrDefault(sid, 0L);
                cpu = new Cpu(targetTicks < 0 ? -1 : pct(targetTicks, secs), pct(self1 - self0, secs),
                        pct(Math.max(0, (m1 - m0) - ours), secs), targetTicks);
            }
            for (int i = 0; i < streamCount; i++) {
                results.add(byIndex.get(i));
            }
            return Stats.of(t.name(), results, cpu, Upstream.LATE_EVENTS.sum() - late0, Upstream.MAX_LATE_NS.get());
        }

        /** A short stream through the target until one is complete, or give up after the ready timeout. */
        void probe(Target t) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readyTimeoutS);
            String last = null;
            while (System.nanoTime() - deadline < 0) {
                StreamResult r = new StreamClient(t.uri(), t.host(), 3, 1, 0).run();
                if (r.error == null) {
                    return;
                }
                last = r.error;
                Thread.sleep(200);
            }
            log("ERROR: " + t.name() + " (" + t.uri() + ") did not stream a probe within " + readyTimeoutS
                    + " s: " + last);
            System.exit(1);
        }

        static void log(String m) {
            System.err.println("sse-latency: " + m);
        }
    }

    // ------------------------------------------------------------------------------------------------ idle

    /**
     * Many idle event streams held open at once, to measure what they cost a proxy (its memory). Each stream is a
     * virtual thread blocked in a socket read: GET /hold, check the head (200, text/event-stream) and wait for the
     * first event, then read (and discard) whatever else comes, such as a proxy's keep-alive comments, until the
     * end. At most --open-concurrency streams are being opened at a time, so that the proxy's accept backlog does
     * not overflow (a dropped SYN is retried only after a second).
     */
    static final class Idle {
        URI target;
        String host;
        int streams;
        String readyFile;
        int holdS = 600;
        int openConcurrency = 200;
        int openTimeoutS = 120;

        private final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.Queue<String> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile boolean ending;

        static Idle fromArgs(String[] a) {
            Idle r = new Idle();
            for (int i = 0; i < a.length; i++) {
                String opt = a[i];
                if (i + 1 >= a.length) {
                    usage(opt + " needs a value");
                }
                String v = a[++i];
                switch (opt) {
                    case "--target" -> r.target = URI.create(v);
                    case "--host" -> r.host = v;
                    case "--streams" -> r.streams = parseInt(opt, v);
                    case "--ready-file" -> r.readyFile = v;
                    case "--hold" -> r.holdS = parseInt(opt, v);
                    case "--open-concurrency" -> r.openConcurrency = parseInt(opt, v);
                    case "--open-timeout" -> r.openTimeoutS = parseInt(opt, v);
                    default -> usage("unknown option " + opt);
                }
            }
            if (r.target == null || !"http".equals(r.target.getScheme()) || r.target.getHost() == null) {
                usage("idle needs --target http://HOST:PORT");
            }
            if (r.streams < 1 || r.openConcurrency < 1) {
                usage("--streams and --open-concurrency must be at least 1");
            }
            if (r.host == null) {
                r.host = r.target.getHost() + (r.target.getPort() > 0 ? ":" + r.target.getPort() : "");
            }
            return r;
        }

        int run() throws Exception {
            java.util.concurrent.Semaphore opening = new java.util.concurrent.Semaphore(openConcurrency);
            CountDownLatch settled = new CountDownLatch(streams);
            long t0 = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                Thread.ofVirtual().start(() -> stream(opening, settled));
            }
            boolean all = settled.await(openTimeoutS, TimeUnit.SECONDS);
            double secs = (System.nanoTime() - t0) / 1e9;
            String line = String.format(Locale.ROOT, "opened %d failed %d seconds %.1f%s", opened.get(), failed.get(),
                    secs, all ? "" : " (timed out opening the rest)");
            System.err.println("sse-idle: " + line);
            errors.stream().distinct().limit(5).forEach(e -> System.err.println("sse-idle:   " + e));
            if (readyFile != null) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(readyFile), line + "\n");
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(holdS));
            ending = true;
            System.err.println("sse-idle: held " + holdS + " s; streams that ended early: " + dropped.get());
            System.out.println("end opened " + opened.get() + " failed " + failed.get() + " dropped " + dropped.get());
            System.out.flush();
            return opened.get() == streams && dropped.get() == 0 ? 0 : 2;
        }

        private void stream(java.util.concurrent.Semaphore opening, CountDownLatch settled) {
            boolean counted = false;
            Socket s = new Socket();
            try {
                opening.acquire();
                try {
                    s.setTcpNoDelay(true);
                    int port = target.getPort() > 0 ? target.getPort() : 80;
                    s.connect(new InetSocketAddress(target.getHost(), port), 10_000);
                    s.setSoTimeout(30_000);
                    s.getOutputStream().write(("GET /hold HTTP/1.1\r\nHost: " + host
                            + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    awaitFirstEvent(s.getInputStream());
                    s.setSoTimeout(0);
                    opened.incrementAndGet();
                } finally {
                    opening.release();
                }
                counted = true;
                settled.countDown();
                InputStream in = s.getInputStream();
                byte[] sink = new byte[256];
                while (in.read(sink) >= 0) {
                    // keep-alive comments and the like
                }
                if (!ending) {
                    dropped.incrementAndGet();
                }
            } catch (IOException | RuntimeException | InterruptedException e) {
                if (!counted) {
                    failed.incrementAndGet();
                    errors.add(String.valueOf(e.getMessage()));
                } else if (!ending) {
                    dropped.incrementAndGet();
                }
            } finally {
                if (!counted) {
                    settled.countDown();
                    try {
                        s.close();
                    } catch (IOException e) {
                        // closing a failed stream
                    }
                }
                // an opened stream's socket stays open until the JVM exits
            }
        }

        /** Reads until the head (200, text/event-stream) and then a complete "data:" event have arrived. */
        private static void awaitFirstEvent(InputStream in) throws IOException {
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[512];
            int headEnd = -1;
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("closed before the first event: " + firstLine(seen));
                }
                seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                if (headEnd < 0 && (headEnd = seen.indexOf("\r\n\r\n")) >= 0) {
                    String head = seen.substring(0, headEnd).toLowerCase(Locale.ROOT);
                    if (!head.startsWith("http/1.1 200")) {
                        throw new IOException("status line " + firstLine(seen));
                    }
                    if (!head.contains("content-type: text/event-stream")) {
                        throw new IOException("not text/event-stream");
                    }
                }
                if (headEnd >= 0) {
                    int data = seen.indexOf("data:", headEnd);
                    if (data >= 0 && seen.indexOf("\n\n", data) >= 0) {
                        return;
                    }
                }
                if (seen.length() > 64 * 1024) {
                    throw new IOException("no event in the first 64 KiB");
                }
            }
        }

        private static String firstLine(CharSequence s) {
            String t = s.toString();
            int eol = t.indexOf('\r');
            return eol < 0 ? t : t.substring(0, eol);
        }
    }
}
