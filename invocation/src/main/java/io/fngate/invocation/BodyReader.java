package io.fngate.invocation;

/**
 * Whatever reads a request body on a thread of its own ({@link SmallBody}, {@link RequestBodyPump}): a reader
 * blocked on a client that stopped sending can be woken once the exchange has answered.
 */
interface BodyReader {
    /** Interrupts the reading thread (over HTTP/1.1 that closes the client's connection). */
    void wake();
}
