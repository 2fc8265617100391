package io.fngate.edge;

import java.util.List;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Sees every HTTP/1.x response head just before Helidon writes it (a send listener of the HTTP/1.1 connection;
 * the headers are still mutable then) and decides what the connection does after it:
 * <ul>
 *     <li>a response that says {@code Connection: close}, to a request that said so, or sent while the edge is
 *     draining (which adds the header), is the connection's last: Helidon 4.5.0 would go on reading requests;</li>
 *     <li>to an HTTP/1.0 client: no {@code Transfer-Encoding} (a chunked body is decoded by {@link Http10Writer}
 *     and delimited by closing the connection), {@code Connection: keep-alive} only when the client asked for it
 *     and the body has a length, else {@code Connection: close}; no body after a HEAD response.</li>
 * </ul>
 * Not for HTTP/2 (Helidon calls no such listener there) nor for the answers the edge writes itself.
 */
final class ResponseListener implements Http1ConnectionListener {
    private static final System.Logger LOG = System.getLogger(ResponseListener.class.getName());

    private final List<Http1ConnectionListener> others;

    /**
     * @param others the listener's own send listeners (Helidon's wire logging by default), called after this one:
     *               this must be the connection's only send listener, because Helidon 4.5.0 calls none of them
     *               when there are two ({@code Http1ConnectionListenerUtil.ListFrameListener} forwards nothing)
     */
    ResponseListener(List<Http1ConnectionListener> others) {
        this.others = List.copyOf(others);
    }

    @Override
    public void status(ConnectionContext ctx, Status status) {
        if (ctx instanceof EdgeContext edge) {
            edge.connection().responseStatus(status.code());
        }
        others.forEach(l -> l.status(ctx, status));
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        if (ctx instanceof EdgeContext edge) {
            apply(edge.connection(), headers);
        }
        others.forEach(l -> l.headers(ctx, headers));
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        others.forEach(l -> l.prologue(ctx, prologue));
    }

    @Override
    public void data(ConnectionContext ctx, BufferData data) {
        others.forEach(l -> l.data(ctx, data));
    }

    @Override
    public void data(ConnectionContext ctx, byte[] data, int position, int length) {
        others.forEach(l -> l.data(ctx, data, position, length));
    }

    private static void apply(EdgeConnection connection, Headers headers) {
        RequestStream requests = connection.requests();
        RequestHead request = requests.current();
        boolean close = requests.closing() || connection.draining()
                || headers.containsToken(HeaderValues.CONNECTION_CLOSE);
        WritableHeaders<?> writable = headers instanceof WritableHeaders<?> w ? w : null;
        if (writable == null) {
            // not expected in 4.5.0 (ServerResponseHeaders); the connection still closes, the client is not told
            LOG.log(System.Logger.Level.DEBUG, "response headers are read-only: " + headers.getClass().getName());
        }
        if (request != null && request.http10()) {
            int status = connection.responseStatus();
            boolean bodyless = request.isHead() || status == 204 || status == 304 || status < 200;
            boolean chunked = headers.containsToken(HeaderValues.TRANSFER_ENCODING_CHUNKED);
            Http10Writer.Body body = Http10Writer.Body.PASS;
            if (request.isHead()) {
                body = Http10Writer.Body.NONE;
            } else if (chunked && !bodyless) {
                body = Http10Writer.Body.DECHUNK;
                close = true; // the end of the body is the end of the connection
            } else if (!bodyless && !headers.contains(HeaderNames.CONTENT_LENGTH)) {
                close = true;
            }
            connection.writer().arm(body);
            if (writable != null) {
                writable.remove(HeaderNames.TRANSFER_ENCODING);
                writable.set(close ? HeaderValues.CONNECTION_CLOSE : HeaderValues.CONNECTION_KEEP_ALIVE);
            }
        } else if (close && writable != null) {
            writable.set(HeaderValues.CONNECTION_CLOSE);
        }
        if (close) {
            requests.closeAfterResponse();
        }
    }
}
