package io.fngate.edge;

/**
 * A request head the edge accepted, and what it means for the connection.
 *
 * @param method        the request method
 * @param path          the request target's path without the query (for logs)
 * @param http10        whether the client spoke HTTP/1.0 (Helidon is given an HTTP/1.1 head)
 * @param keepAlive     whether the connection may serve another request after this one
 * @param contentLength the body length, or -1 when there is no Content-Length
 * @param chunked       whether the body is chunked
 * @param upgradeH2c    whether Helidon will switch this connection to HTTP/2 ({@code Upgrade: h2c})
 * @param bytes         the head to give Helidon: the client's bytes unchanged, or rewritten (HTTP/1.0,
 *                      absolute-form target, added Host)
 */
record RequestHead(String method, String path, boolean http10, boolean keepAlive, long contentLength, boolean chunked,
                   boolean upgradeH2c, byte[] bytes) {

    boolean isHead() {
        return "HEAD".equals(method);
    }
}
