package io.fngate.registry;

/**
 * What kind of responses a function version produces (NVCF {@code functionType}).
 */
public enum FunctionType {
    /** Ordinary request/response. */
    DEFAULT,
    /** Long-lived streaming responses (Server-Sent Events and the like). */
    STREAMING
}
