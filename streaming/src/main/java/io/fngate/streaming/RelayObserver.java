package io.fngate.streaming;

/**
 * Sees a response body as it is relayed, without a copy: {@link #relayed} gets the relay's own buffer right
 * after those bytes were written to the client. For metrics (event timing, token counts); it must be fast, must
 * not keep the buffer and must not throw. Not a way to change the body.
 */
public interface RelayObserver {
    /** Sees nothing. */
    RelayObserver NONE = new RelayObserver() {
        @Override
        public void relayed(byte[] buf, int off, int len) {
        }

        @Override
        public void ended(RelayResult.Outcome outcome) {
        }
    };

    /**
     * Body bytes just written to the client (keep-alive comments are not body bytes and are not shown).
     *
     * @param buf the relay's buffer; valid during the call only
     * @param off first byte
     * @param len byte count
     */
    void relayed(byte[] buf, int off, int len);

    /**
     * The body ended; called once, after the last {@link #relayed}.
     *
     * @param outcome how it ended
     */
    void ended(RelayResult.Outcome outcome);
}
