package io.fngate.streaming;

import java.util.Objects;

/**
 * How a relay ended.
 *
 * @param outcome what ended it
 * @param bytes   body bytes written to the client (keep-alive comments not counted)
 */
public record RelayResult(Outcome outcome, long bytes) {

    /**
     * Checks for missing parts.
     */
    public RelayResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * What ended a relay.
     */
    public enum Outcome {
        /** The upstream body ended normally and everything was written and flushed. */
        COMPLETED,
        /** The stream deadline passed; the client got a clean end of what was relayed so far. */
        DEADLINE,
        /** Reading the upstream failed (reset, truncated body). */
        UPSTREAM_FAILED,
        /** The upstream sent nothing for longer than the idle timeout (not applied to event streams). */
        UPSTREAM_STALLED,
        /** Writing to the client failed: the client went away. */
        CLIENT_GONE
    }
}
