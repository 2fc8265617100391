package io.fngate.invocation;

import java.util.Objects;

/**
 * A leg of an exchange ends in a platform error, before any response byte went to the client: the exchange
 * answers it as a problem. Carries no stack trace (it is an answer, not a bug).
 */
final class InvocationFailure extends RuntimeException {
    private final PlatformError error;

    InvocationFailure(PlatformError error, String detail) {
        super(Objects.requireNonNull(detail, "detail"), null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    PlatformError error() {
        return error;
    }

    String detail() {
        return getMessage();
    }
}
