/**
 * Streaming API: {@link io.fngate.streaming.BodyRelay} copies an upstream body to the client as it
 * arrives and reports how the copy ended ({@link io.fngate.streaming.RelayResult}); one
 * {@link io.fngate.streaming.RelayTicker} writes the keep-alive comments of every event stream being relayed.
 * <p>
 * Not responsible for choosing status or headers, for opening or closing connections, or for what a
 * failure means to the client: the caller (the invocation module) owns both sockets and decides.
 */
package io.fngate.streaming;
