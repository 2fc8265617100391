package io.fngate.edge;

import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;

/**
 * The connection context Helidon's HTTP/1.1 and HTTP/2 connections are given: the original one, with the
 * edge's reader and writer, and a listener context that marks HTTP/1.0 requests (see {@link Edge#wireVersion}).
 * Helidon's listeners receive it back, which is how they find the {@link EdgeConnection}.
 */
final class EdgeContext implements ConnectionContext {
    private final EdgeConnection connection;
    private final ConnectionContext original;
    private final RequestStream requests;
    private final DataReader reader;
    private final DataWriter writer;
    private final Http10ListenerContext http10;

    EdgeContext(EdgeConnection connection, ConnectionContext original, RequestStream requests, DataWriter writer) {
        this.connection = connection;
        this.original = original;
        this.requests = requests;
        this.reader = DataReader.create(requests);
        this.writer = writer;
        this.http10 = new Http10ListenerContext(original.listenerContext());
    }

    EdgeConnection connection() {
        return connection;
    }

    @Override
    public ListenerContext listenerContext() {
        // asked per request (Http1ServerRequest.listenerContext()); HTTP/1.x serves one request at a time
        RequestHead current = requests.current();
        return current != null && current.http10() ? http10 : original.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return original.executor();
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public Router router() {
        return original.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return original.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return original.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return original.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return original.localPeer();
    }

    @Override
    public boolean isSecure() {
        return original.isSecure();
    }

    @Override
    public String socketId() {
        return original.socketId();
    }

    @Override
    public String childSocketId() {
        return original.childSocketId();
    }
}
