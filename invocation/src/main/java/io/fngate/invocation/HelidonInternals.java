package io.fngate.invocation;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.logging.Logger;

import io.fngate.edge.Edge;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Reflective access to the few Helidon 4.5 internals needed to notice departed clients (see {@link ClientWatch}):
 * the plain socket channel under an HTTP/1.1 request (its socket found here, its channel by the edge, which owns
 * that access: {@link Edge#plainChannel}), and the stream under an HTTP/2 response with its state.
 * Each part may be missing (a Helidon upgrade, or no {@code --add-opens}); callers then degrade.
 */
final class HelidonInternals {
    private static final Logger LOG = Logger.getLogger(HelidonInternals.class.getName());
    static final HelidonInternals INSTANCE = find();

    private final Field http1Ctx;
    private final Method serverSocket;
    private final Field http2ResponseStream;
    private final Method streamState;

    private HelidonInternals(Field http1Ctx, Method serverSocket, Field http2ResponseStream, Method streamState) {
        this.http1Ctx = http1Ctx;
        this.serverSocket = serverSocket;
        this.http2ResponseStream = http2ResponseStream;
        this.streamState = streamState;
    }

    private static HelidonInternals find() {
        Field ctx = field("io.helidon.webserver.http1.Http1ServerRequest", "ctx");
        Field stream = field("io.helidon.webserver.http2.Http2ServerResponse", "stream");
        Method socket = null;
        Method state = null;
        try {
            socket = Class.forName("io.helidon.webserver.ConnectionContext").getMethod("serverSocket");
            state = Class.forName("io.helidon.http.http2.Http2Stream").getMethod("streamState");
        } catch (ReflectiveOperationException | RuntimeException e) {
            // reported below
        }
        HelidonInternals found = new HelidonInternals(ctx, socket, stream, state);
        if (!found.complete()) {
            LOG.warning("Helidon internals for client-disconnect detection are not accessible; departed clients"
                    + " are noticed on the next write only (run with the --add-opens of the fngate script)");
        }
        return found;
    }

    /** Whether every internal was found (the fngate script's --add-opens are in effect). */
    boolean complete() {
        return http1Ctx != null && serverSocket != null && Edge.readsPlainChannels() && http2ResponseStream != null
                && streamState != null;
    }

    /** The blocking plain-socket channel of an HTTP/1.1 request; empty over TLS or when not accessible. */
    Optional<SocketChannel> http1Channel(ServerRequest req) {
        if (http1Ctx == null || serverSocket == null || !http1Ctx.getDeclaringClass().isInstance(req)) {
            return Optional.empty();
        }
        try {
            // plain sockets only (the edge checks): reading raw TLS records beside the SSL engine is not safe
            return serverSocket.invoke(http1Ctx.get(req)) instanceof HelidonSocket socket
                    ? Edge.plainChannel(socket) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The HTTP/2 stream of a response; empty for HTTP/1.1 or when not accessible. */
    Optional<Object> http2Stream(ServerResponse res) {
        if (http2ResponseStream == null || streamState == null
                || !http2ResponseStream.getDeclaringClass().isInstance(res)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(http2ResponseStream.get(res));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean http2StreamClosed(Object stream) {
        try {
            return String.valueOf(streamState.invoke(stream)).equals("CLOSED");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Field field(String className, String name) {
        try {
            Field f = Class.forName(className).getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
