package io.fngate.streaming;

/**
 * Tracks whether the bytes relayed so far end between two Server-Sent Events, so a keep-alive comment
 * can be written without splitting an event the container is in the middle of writing.
 * <p>
 * Lines end with CRLF, LF or CR (WHATWG HTML, "event stream interpretation"); an empty line ends an event.
 */
final class EventBoundary {
    private boolean lineHasContent;
    private boolean afterCr;
    private boolean betweenEvents = true;

    void accept(byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (b == '\n') {
                if (afterCr) {
                    afterCr = false; // LF of a CRLF: the line already ended at the CR
                } else {
                    endLine();
                }
            } else if (b == '\r') {
                endLine();
                afterCr = true;
            } else {
                afterCr = false;
                lineHasContent = true;
                betweenEvents = false;
            }
        }
    }

    /**
     * @return true when a comment written now starts on a fresh line outside any event
     */
    boolean betweenEvents() {
        // after a lone CR the container may still send the LF of a CRLF: wait for it
        return betweenEvents && !afterCr;
    }

    private void endLine() {
        if (!lineHasContent) {
            betweenEvents = true;
        }
        lineHasContent = false;
    }
}
