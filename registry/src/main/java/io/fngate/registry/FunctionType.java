package io.fngate.registry;

import java.util.Locale;

/**
 * What kind of responses a function version produces (NVCF {@code functionType}).
 */
public enum FunctionType {
    /** Ordinary request/response. */
    DEFAULT,
    /** Long-lived streaming responses (Server-Sent Events and the like). */
    STREAMING,
    /** A large language model with OpenAI-style responses: token usage is counted from their {@code usage}. */
    LLM;

    /**
     * Reads a function type, any case.
     *
     * @param value the name
     * @param field where it came from, for the message
     * @return the type
     * @throws IllegalArgumentException {@code <field>: <value> (expected: ...)}
     */
    public static FunctionType parse(String value, String field) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: DEFAULT, STREAMING or LLM)");
        }
    }
}
