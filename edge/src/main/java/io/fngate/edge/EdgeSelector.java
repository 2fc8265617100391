package io.fngate.edge;

import java.util.List;
import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * The only connection selector of an edge-fronted listener. Being the single candidate, Helidon hands it every
 * accepted connection before reading a byte ({@code ConnectionHandler.identifyConnection}), and with TLS it is
 * the one that offers the ALPN protocols. It makes an {@link EdgeConnection} per connection, which runs Helidon's
 * own HTTP/1.1 and HTTP/2 connections, built here from their public selectors.
 */
final class EdgeSelector implements ServerConnectionSelector {
    private static final System.Logger LOG = System.getLogger(EdgeSelector.class.getName());

    private final Edge edge;
    private volatile boolean warned;
    private final ServerConnectionSelector http1;
    private final ServerConnectionSelector http2;

    /**
     * @param edge  settings, drain switch, watchdog
     * @param http1 the listener's HTTP/1.1 settings (listeners and limits are added)
     * @param http2 the listener's HTTP/2 settings
     */
    EdgeSelector(Edge edge, Http1Config http1, Http2Config http2) {
        this.edge = edge;
        EdgeSettings settings = edge.settings();
        Http1Config h1 = Http1Config.builder()
                .from(http1)
                // the edge checks these limits first and answers; Helidon's must never be the tighter ones
                // (slack for what the edge adds: Host, Connection)
                .maxPrologueLength(settings.maxRequestLine() + 64)
                .maxHeadersSize(settings.maxHeaderBytes() + 1024)
                .sendListeners(List.of(new ResponseListener(http1.sendListeners())))
                .build();
        this.http1 = Http1ConnectionSelector.builder()
                .config(h1)
                .putUpgrader("h2c", new H2cUpgrader(http2))
                .build();
        this.http2 = Http2ConnectionSelector.builder()
                .http2Config(http2)
                .build();
    }

    /**
     * Helidon identified a connection by its first bytes before handing it to the edge: another selector sits
     * beside this one (a {@code protocols} node in the listener's configuration adds Helidon's own). The edge still
     * serves such connections, but cannot time a connection that sends nothing. Said once per listener.
     */
    void notAlone() {
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, "the edge is not the only connection selector of its listener (is "
                    + "'protocols' configured for it? give those settings to the builder before Edge.applyTo): "
                    + "connections that send nothing are not closed at the idle timeout");
        }
    }

    Edge edge() {
        return edge;
    }

    EdgeSettings settings() {
        return edge.settings();
    }

    ServerConnectionSelector http1() {
        return http1;
    }

    ServerConnectionSelector http2() {
        return http2;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED; // consulted only if another selector were configured beside this one
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        // ALPN; without http/1.0 here, an HTTP/1.0 client over TLS (curl -0) gets a no_application_protocol alert
        return Set.of("h2", "http/1.1", "http/1.0");
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new EdgeConnection(this, ctx);
    }
}
