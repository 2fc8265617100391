package io.fngate.edge;

import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2Upgrader;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Helidon's {@code Upgrade: h2c} upgrader, which also tells the {@link EdgeConnection} that its bytes are HTTP/2
 * frames from now on (and which HTTP/2 connection to watch for idleness).
 */
final class H2cUpgrader implements Http1Upgrader {
    private final Http2Upgrader delegate;

    H2cUpgrader(Http2Config config) {
        this.delegate = Http2Upgrader.create(config);
    }

    @Override
    public String supportedProtocol() {
        return delegate.supportedProtocol();
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        ServerConnection connection = delegate.upgrade(ctx, prologue, headers);
        if (connection != null && ctx instanceof EdgeContext edge) {
            edge.connection().upgraded(connection);
        }
        return connection;
    }
}
