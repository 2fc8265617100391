package io.fngate.registry;

/**
 * The store cannot be opened, read or written. Its message names the file or directory concerned, so that
 * an operator can act on it; it never means "empty".
 */
public final class RegistryStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the file
     * @param cause   the underlying error
     */
    public RegistryStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what failed, naming the file
     */
    public RegistryStoreException(String message) {
        super(message);
    }
}
