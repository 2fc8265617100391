/**
 * Response body relays: flush policy, Server-Sent Events keep-alive comments and stream deadlines.
 * Knows nothing of functions, routing or sockets.
 */
module io.fngate.streaming {
    exports io.fngate.streaming;
}
