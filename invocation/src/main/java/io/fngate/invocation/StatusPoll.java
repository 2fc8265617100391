package io.fngate.invocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import io.fngate.edge.Edge;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /v2/nvcf/pexec/status/{requestId}}: waits up to the poll time for an invocation answered 202 and
 * answers its result once (status, headers and body as the container sent them, with the original
 * {@code nvcf-reqid}), or {@code 202} again with the container's progress. Not responsible for authentication
 * (the exchange did it) or for keeping results ({@link AsyncResults}).
 */
final class StatusPoll {
    private static final String PROGRESS = "NVCF-PERCENT-COMPLETE";

    private StatusPoll() {
    }

    static void answer(Exchange ex, AsyncResults results, UUID requestId, UUID caller, Duration poll) {
        // another key's request is as unknown as one that never existed: ids are not secrets to guess at
        AsyncInvocation inv = results.find(requestId, caller).orElseThrow(() -> notFound(requestId));
        ex.polled(inv.functionId(), inv.versionId());
        AsyncSettings settings = results.settings();
        inv.pollBy(ex.ctx().clock().instant().plus(poll).plus(settings.unpolledAfter(poll)));
        Optional<AsyncInvocation.Outcome> outcome;
        try {
            outcome = inv.await(poll);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientGone("interrupted while polling");
        }
        if (outcome.isEmpty()) {
            inv.pollBy(ex.ctx().clock().instant().plus(settings.unpolledAfter(poll)));
            inProgress(ex, requestId, inv.progress());
            return;
        }
        if (!inv.claim()) {
            throw notFound(requestId); // another poll is delivering it now
        }
        boolean delivered = false;
        try {
            delivered = deliver(ex, requestId, outcome.get());
        } finally {
            if (delivered) {
                results.remove(inv);
            } else {
                inv.unclaim(); // the client did not get it: the next poll may
            }
        }
    }

    /** Answers 202: the container is still working. */
    static void inProgress(Exchange ex, UUID requestId, Optional<String> progress) {
        ServerResponse res = ex.res();
        ex.stamp(202, requestId);
        progress.ifPresent(p -> res.header(HeaderNames.create(PROGRESS), p));
        res.status(Status.ACCEPTED_202);
        res.header(HeaderNames.CONTENT_LENGTH, "0");
        res.send();
        ex.answered(202, 0);
    }

    /** @return whether the answer reached the client's connection */
    private static boolean deliver(Exchange ex, UUID requestId, AsyncInvocation.Outcome outcome) {
        if (outcome instanceof AsyncInvocation.Failure f) {
            ex.answerAs(requestId, f.error(), f.detail());
            return true;
        }
        AsyncInvocation.Response r = (AsyncInvocation.Response) outcome;
        ServerResponse res = ex.res();
        res.status(Status.create(r.status(), r.reason().isEmpty() ? ResponseLeg.reasonFor(r.status()) : r.reason()));
        for (ResponseHead.Line line : r.headers()) {
            res.headers().add(HeaderValues.create(HeaderNames.create(line.name()), line.value()));
        }
        ex.stamp(r.status(), requestId);
        long size = r.body().size();
        try {
            Optional<byte[]> small = r.body().inMemory();
            if (small.isPresent()) {
                Edge.sendWhole(res, small.get());
            } else {
                res.header(HeaderNames.CONTENT_LENGTH, Long.toString(size));
                try (InputStream in = r.body().open(); OutputStream out = res.outputStream()) {
                    in.transferTo(out);
                }
            }
            ex.answered(r.status(), size);
            return true;
        } catch (IOException | UncheckedIOException e) {
            if (!res.isSent()) {
                throw new UncheckedIOException(e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
            }
            throw new ClientGone("client went away while its result was delivered");
        }
    }

    private static InvocationFailure notFound(UUID requestId) {
        return new InvocationFailure(PlatformError.REQUEST_NOT_FOUND, "No pending result for request " + requestId
                + ": unknown, already delivered, or expired.");
    }
}
