package io.fngate.registry;

import java.util.Objects;

/**
 * A change or lookup the registry refuses: something named does not exist, or the change contradicts the
 * registry's rules. Its {@link #kind()} says which, its message is safe to show to whoever asked. It knows nothing
 * of HTTP: the management API maps kinds to statuses.
 * <p>
 * Values that are invalid in themselves (a bad URL, a name breaking NVCF's rule) are
 * {@link IllegalArgumentException}s instead, thrown where the value is made.
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Kind kind;

    RegistryException(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * @return why the registry refused
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return what happened, for the client
     */
    public String detail() {
        return getMessage();
    }

    /**
     * Why the registry refused.
     */
    public enum Kind {
        /** No function with that id. */
        FUNCTION_NOT_FOUND,
        /** The function has no version with that id. */
        VERSION_NOT_FOUND,
        /** The version has no deployment. */
        DEPLOYMENT_NOT_FOUND,
        /** The deployment has no instance with that id (or its registration lapsed). */
        INSTANCE_NOT_FOUND,
        /** The function comes from the configuration file and cannot be changed. */
        READ_ONLY,
        /** The version has a deployment, and the change needs it gone. */
        VERSION_DEPLOYED,
        /** The version already has a deployment. */
        DEPLOYMENT_EXISTS,
        /** The version has no deployment, and the change needs one. */
        NOT_DEPLOYED,
        /** The instance URL is already part of the deployment in the other way (listed or registered). */
        INSTANCE_CONFLICT,
        /** The store could not make the change durable; nothing changed. */
        STORE_FAILURE
    }
}
