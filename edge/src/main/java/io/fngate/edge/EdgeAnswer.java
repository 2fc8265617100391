package io.fngate.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A problem answer the platform gave before any handler saw the request: a malformed, oversized or slow request
 * head the edge answered itself, or one of Helidon's own answers behind the edge (server busy, a body over the
 * listener's limit, a request it still finds invalid, an exception a handler let escape). Told to the
 * {@link EdgeListener} once the answer is written, so that such requests are in the access log and the metrics
 * like every other.
 * <p>
 * Carries what the edge knew when it answered; not the request's bytes (a malformed head may hold anything).
 *
 * @param start     when the request head began, or when the answer was made if that is not known
 * @param problem   the problem sent: status, label and the {@code nvcf-reqid} the client got
 * @param method    the request's method, when its request line was read and valid so far
 * @param path      the raw path of the request target without the query, when it was read and valid
 * @param client    the client's address, when known (Helidon's own answers do not tell it)
 * @param userAgent the request's {@code User-Agent}, when its header fields were read
 * @param elapsed   from the head's first byte to the answer, when known
 */
public record EdgeAnswer(Instant start,
                         ProblemDetails problem,
                         Optional<String> method,
                         Optional<String> path,
                         Optional<String> client,
                         Optional<String> userAgent,
                         Optional<Duration> elapsed) {
    /**
     * Checks for missing parts.
     */
    public EdgeAnswer {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
