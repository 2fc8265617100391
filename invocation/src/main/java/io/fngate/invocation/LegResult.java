package io.fngate.invocation;

import java.util.Optional;

/**
 * How the response leg of an exchange ended, for the exchange to record (and act on).
 *
 * @param outcome how it ended
 * @param status  the status sent to the client
 * @param bytes   response body bytes relayed
 * @param abort   when present, the client's connection (HTTP/1.1) or stream (HTTP/2) must be cut, for this
 *                reason: the response cannot be completed honestly
 */
record LegResult(InvocationRecord.Outcome outcome, int status, long bytes, Optional<String> abort) {

    static LegResult ended(InvocationRecord.Outcome outcome, int status, long bytes) {
        return new LegResult(outcome, status, bytes, Optional.empty());
    }

    static LegResult aborted(InvocationRecord.Outcome outcome, int status, long bytes, String why) {
        return new LegResult(outcome, status, bytes, Optional.of(why));
    }
}
