package io.fngate.invocation;

/**
 * Thrown by the request leg of an exchange that may be answered asynchronously when the container has not started
 * its response within the poll time: the request is sent, the container is working, and the connection (with the
 * head read so far) is handed to an {@link AsyncInvocation}. Not a failure: no stack trace.
 */
final class StillRunning extends RuntimeException {
    private final transient UpstreamConnection connection;
    private final transient HeadReader reader;
    private final transient RequestBodyPump pump;

    StillRunning(UpstreamConnection connection, HeadReader reader, RequestBodyPump pump) {
        super("the function is still working", null, false, false);
        this.connection = connection;
        this.reader = reader;
        this.pump = pump;
    }

    UpstreamConnection connection() {
        return connection;
    }

    HeadReader reader() {
        return reader;
    }

    /** The request body's pump (finished), or null when the body went with the head. */
    RequestBodyPump pump() {
        return pump;
    }
}
