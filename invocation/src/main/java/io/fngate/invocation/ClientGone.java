package io.fngate.invocation;

/**
 * The client went away before its response started: nothing can be answered; the exchange records it.
 * Carries no stack trace.
 */
final class ClientGone extends RuntimeException {
    ClientGone(String why) {
        super(why, null, false, false);
    }
}
