package io.fngate.invocation;

import java.io.IOException;

/**
 * The upstream sent bytes that break HTTP/1.1 framing; the connection cannot be trusted any more.
 */
final class UpstreamProtocolException extends IOException {
    UpstreamProtocolException(String message) {
        super(message);
    }
}
