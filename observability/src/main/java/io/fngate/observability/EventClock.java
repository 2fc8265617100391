package io.fngate.observability;

/**
 * Notices the end of each Server-Sent Event in a relayed body, so that its time can be measured: an event ends
 * at an empty line after at least one field line (comment lines, starting with {@code :}, make no event, as
 * in the WHATWG rules). Lines end with CRLF, LF or CR. Not thread-safe: one per stream.
 */
final class EventClock {
    private boolean lineStart = true;
    private boolean comment;
    private boolean afterCr;
    private boolean hasField;

    /**
     * @return how many events ended in these bytes
     */
    int accept(byte[] buf, int off, int len) {
        int ended = 0;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = buf[i];
            if (b == '\n' && afterCr) {
                afterCr = false; // the LF of a CRLF: the line already ended at the CR
                continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                if (lineStart) { // an empty line
                    if (hasField) {
                        ended++;
                        hasField = false;
                    }
                } else if (!comment) {
                    hasField = true;
                }
                lineStart = true;
                comment = false;
            } else if (lineStart) {
                lineStart = false;
                comment = b == ':';
            }
        }
        return ended;
    }
}
