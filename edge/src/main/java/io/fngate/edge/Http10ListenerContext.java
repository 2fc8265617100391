package io.fngate.edge;

import java.util.concurrent.ExecutorService;

import io.helidon.common.context.Context;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.media.MediaContext;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.http.DirectHandlers;

/**
 * The listener context of a request that came as HTTP/1.0: the listener's own in every respect; its type is the
 * mark {@link Edge#wireVersion} looks for. A client cannot forge it (it is no header).
 *
 * @param delegate the listener's context
 */
record Http10ListenerContext(ListenerContext delegate) implements ListenerContext {
    @Override
    public Context context() {
        return delegate.context();
    }

    @Override
    public MediaContext mediaContext() {
        return delegate.mediaContext();
    }

    @Override
    public ContentEncodingContext contentEncodingContext() {
        return delegate.contentEncodingContext();
    }

    @Override
    public DirectHandlers directHandlers() {
        return delegate.directHandlers();
    }

    @Override
    public ListenerConfig config() {
        return delegate.config();
    }

    @Override
    public ExecutorService executor() {
        return delegate.executor();
    }
}
