package io.fngate.invocation;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a small request body of known length whole, before it is sent upstream with the head (so that it can be
 * sent again on a fresh connection). The read runs on a virtual thread of its own: a client that stops sending is
 * noticed by the handler's thread, which can still answer 408 while the reader is blocked on the socket.
 * <p>
 * Not responsible for answering or for closing the connection after a timeout: the exchange does both (the
 * reader is left blocked on a connection that is about to close; over HTTP/2 it is interrupted).
 */
final class SmallBody implements BodyReader {
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final InputStream from;
    private final int length;
    private volatile long readingSince;
    private Thread thread;

    private SmallBody(InputStream from, int length) {
        this.from = from;
        this.length = length;
    }

    static SmallBody start(String name, InputStream from, int length) {
        SmallBody body = new SmallBody(from, length);
        body.thread = Thread.ofVirtual().name(name).start(body::read);
        return body;
    }

    private void read() {
        byte[] buf = new byte[length];
        int read = 0;
        try {
            while (read < length) {
                readingSince = System.nanoTime();
                int n = from.read(buf, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            readingSince = 0;
            result.complete(read == length ? buf : null);
        } catch (IOException | RuntimeException e) {
            result.complete(null); // the client went away (or broke the framing)
        }
    }

    /**
     * Waits for the body.
     *
     * @param stall how long the client may send nothing
     * @return the body
     * @throws ClientGone         when the client closed or broke off before the whole body
     * @throws InvocationFailure  408 when it sent nothing for longer than {@code stall}
     */
    byte[] await(Duration stall) {
        long stallNanos = stall.toNanos();
        while (true) {
            try {
                byte[] body = result.get(Math.min(stallNanos, CHECK_NANOS), TimeUnit.NANOSECONDS);
                if (body == null) {
                    throw new ClientGone("client went away before its whole request body arrived");
                }
                return body;
            } catch (TimeoutException e) {
                long since = readingSince;
                if (since != 0 && System.nanoTime() - since > stallNanos) {
                    throw new InvocationFailure(PlatformError.REQUEST_BODY_TIMEOUT, "The request body stopped "
                            + "arriving: nothing for " + stall.toSeconds() + " s.");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientGone("interrupted while reading the request body");
            } catch (ExecutionException e) {
                throw new ClientGone("the request body could not be read");
            }
        }
    }

    @Override
    public void wake() {
        thread.interrupt();
    }
}
