package io.fngate.observability;

import java.time.Duration;
import java.time.Instant;

import io.fngate.invocation.ResponseStart;
import io.fngate.streaming.RelayObserver;
import io.fngate.streaming.RelayResult;
import io.prometheus.client.Gauge;

/**
 * Watches one response body as the relay passes it (no copy): for an event stream, the events' timing and how
 * the stream ended; for an LLM function, the token usage ({@link UsageScanner}). Runs on the request's thread.
 */
final class BodyWatch implements RelayObserver {
    private final GatewayMetrics m;
    private final Series.Version s;
    private final EventClock events;
    private final UsageScanner usage;
    /** The active-streams series this stream raised: lowered on the same one even if the version was deleted. */
    private final Gauge.Child active;
    private final long startNanos = System.nanoTime();
    /** Nanoseconds from the request's start to {@link #startNanos}. */
    private final long sinceRequest;
    private long firstEvent;
    private long lastEvent;
    private long count;
    private boolean ended;

    BodyWatch(GatewayMetrics m, Series.Version s, ResponseStart start, boolean llm) {
        this.m = m;
        this.s = s;
        this.events = start.eventStream() ? new EventClock() : null;
        this.usage = llm ? new UsageScanner() : null;
        this.sinceRequest = Math.max(0, Duration.between(start.requestStart(), Instant.now()).toNanos());
        if (events != null) {
            active = s.child(m.streamsActive, s.function, s.version);
            active.inc();
        } else {
            active = null;
        }
    }

    @Override
    public void relayed(byte[] buf, int off, int len) {
        try {
            if (events != null) {
                int n = events.accept(buf, off, len);
                if (n > 0) {
                    long now = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        event(now);
                    }
                }
            }
            if (usage != null) {
                usage.accept(buf, off, len);
            }
        } catch (RuntimeException e) {
            // metrics never break a response
        }
    }

    private void event(long now) {
        if (count == 0) {
            firstEvent = now;
            s.child(m.firstEvent, s.function, s.version).observe((sinceRequest + now - startNanos) / 1e9);
        } else {
            s.child(m.eventGap, s.function, s.version).observe((now - lastEvent) / 1e9);
        }
        lastEvent = now;
        count++;
        s.child(m.streamEvents, s.function, s.version).inc();
    }

    @Override
    public void ended(RelayResult.Outcome outcome) {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (events != null) {
                active.dec();
                s.child(m.streams, s.function, s.version, reason(outcome)).inc();
                s.child(m.streamDuration, s.function, s.version).observe((System.nanoTime() - startNanos) / 1e9);
            }
            if (usage != null && usage.found()) {
                s.child(m.tokens, s.function, s.version, "prompt").inc(usage.promptTokens());
                s.child(m.tokens, s.function, s.version, "completion").inc(usage.completionTokens());
                if (events != null && count > 1 && usage.completionTokens() > 1) {
                    s.child(m.timePerToken, s.function, s.version)
                            .observe((lastEvent - firstEvent) / 1e9 / (usage.completionTokens() - 1));
                }
            }
        } catch (RuntimeException e) {
            // metrics never break a response
        }
    }

    static String reason(RelayResult.Outcome outcome) {
        return switch (outcome) {
        case COMPLETED -> "completed";
        case CLIENT_GONE -> "client_gone";
        case DEADLINE -> "deadline";
        case UPSTREAM_FAILED, UPSTREAM_STALLED -> "upstream_error";
        };
    }
}
