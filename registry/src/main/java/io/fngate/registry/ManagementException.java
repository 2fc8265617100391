package io.fngate.registry;

/**
 * A management request that fails with a catalogued error; its detail is safe to show to the client.
 */
final class ManagementException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ManagementError error;

    ManagementException(ManagementError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    ManagementError error() {
        return error;
    }

    String detail() {
        return getMessage();
    }
}
