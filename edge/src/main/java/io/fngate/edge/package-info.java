/**
 * The edge: the connection-level front of fngate's listeners.
 * <p>
 * Public: {@link io.fngate.edge.Edge} (install it on a listener, drain, tell the wire version, recognise a
 * malformed body, send a response's head with its first body bytes), {@link io.fngate.edge.EdgeSettings} (its
 * configuration), {@link io.fngate.edge.ProblemDetails} (the one writer of {@code application/problem+json}) and
 * {@link io.fngate.edge.EdgeListener} with {@link io.fngate.edge.EdgeAnswer} (told of every answer given before a
 * handler ran, for access logs and metrics; the edge keeps no log of its own).
 * Everything else is package-private and may change with Helidon: it relies on behaviour of Helidon 4.5.0 that is
 * public but not promised (a single connection selector is handed the connection before any byte is read; the
 * HTTP/1.1 connection is interruptible exactly while it reads a request head; send listeners see mutable headers;
 * an HTTP/2 connection asked to close while a stream is active is not asked again; a response's head and first
 * body bytes are separate writes to the connection's writer).
 * <p>
 * How a connection flows: {@code EdgeSelector} (the listener's only selector) makes an {@code EdgeConnection},
 * which reads the socket through {@code RawInput} (the rest of a large plain-text body through
 * {@code BulkReads}, from the socket's channel), tells HTTP/2 from HTTP/1.x, and runs Helidon's connection
 * over a {@code RequestStream} (heads checked by {@code HeadReader} and {@code HeadParser}, chunked bodies by
 * {@code ChunkedBody}) and an {@code Http10Writer} over a {@code HeadersHold} (which lets a response's head leave
 * in one write with its first body bytes) over {@code BulkWrites} (plain sockets: each write in one system call);
 * {@code BulkReads} and {@code BulkWrites} share {@code DirectBuffers}; {@code ResponseListener} sees every
 * HTTP/1.x response head; {@code ProblemHandler} shapes every error answer and tells the {@code EdgeListener}.
 */
package io.fngate.edge;
