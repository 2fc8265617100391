package io.fngate.management;

/**
 * A management request that fails for a reason of its own HTTP shape (media type, size, route, scope); its
 * detail is safe to show to the client. Refusals of the registry arrive as
 * {@link io.fngate.registry.RegistryException} instead.
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
