package io.fngate.registry;

/**
 * The life-cycle status of a function version, as the management API reports it (NVCF names).
 */
public enum VersionStatus {
    /** No deployment. */
    INACTIVE,
    /** A deployment exists but no instance has been healthy yet, and the grace period has not run out. */
    DEPLOYING,
    /** Every live instance of the deployment is healthy (at least one). */
    ACTIVE,
    /** At least one instance is healthy and at least one is not. */
    DEGRADED,
    /** No instance is healthy and the grace period after the deployment changed has run out. */
    ERROR
}
