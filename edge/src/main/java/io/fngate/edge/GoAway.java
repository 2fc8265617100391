package io.fngate.edge;

import java.lang.reflect.Field;

import io.helidon.http.http2.Http2ConnectionWriter;
import io.helidon.http.http2.Http2ErrorCode;
import io.helidon.http.http2.Http2Flag;
import io.helidon.http.http2.Http2GoAway;
import io.helidon.http.http2.Http2Settings;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Tells an HTTP/2 client that the server is going away, as a graceful shutdown does (RFC 9113 section 6.8): a
 * GOAWAY with NO_ERROR and the largest stream id, so the client opens no new stream on this connection while the
 * ones it has run to their end. Helidon 4.5.0 sends no GOAWAY when a server stops (it closes the connection), and
 * offers no way to ask for one: this reaches the connection's frame writer (thread-safe: every stream writes
 * through it) by reflection. Without access ({@code --add-opens io.helidon.webserver.http2/...=io.fngate.edge},
 * which the {@code fngate} script passes) it does nothing and says so once.
 */
final class GoAway {
    private static final System.Logger LOG = System.getLogger(GoAway.class.getName());
    private static final Field WRITER = field("connectionWriter");
    private static final Field CLIENT_SETTINGS = field("clientSettings");

    private GoAway() {
    }

    private static Field field(String name) {
        return HelidonFields.find("io.helidon.webserver.http2.Http2Connection", name, LOG, System.Logger.Level.INFO,
                "HTTP/2 clients get no GOAWAY when the gateway drains");
    }

    /** Sends the GOAWAY; false when it could not. */
    static boolean send(ServerConnection http2) {
        if (WRITER == null || CLIENT_SETTINGS == null || !WRITER.getDeclaringClass().isInstance(http2)) {
            return false;
        }
        try {
            Http2ConnectionWriter writer = (Http2ConnectionWriter) WRITER.get(http2);
            Http2Settings settings = (Http2Settings) CLIENT_SETTINGS.get(http2);
            writer.write(new Http2GoAway(Integer.MAX_VALUE, Http2ErrorCode.NO_ERROR, "draining")
                    .toFrameData(settings, 0, Http2Flag.NoFlags.create()));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // the connection closed meanwhile
        }
    }
}
