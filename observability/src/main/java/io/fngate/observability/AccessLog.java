package io.fngate.observability;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fngate.invocation.InvocationListener;
import io.fngate.invocation.InvocationRecord;
import io.fngate.invocation.PlatformError;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * Writes one JSON line per finished invocation to the {@code io.fngate.access} logger.
 * <p>
 * Not responsible for log routing or rotation: that is the logging configuration's job.
 */
public final class AccessLog implements InvocationListener {
    private static final Logger LOG = Logger.getLogger("io.fngate.access");

    private AccessLog() {
    }

    /**
     * @return an access log writer
     */
    public static AccessLog create() {
        return new AccessLog();
    }

    @Override
    public void completed(InvocationRecord record) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        LOG.info(line(record));
    }

    static String line(InvocationRecord r) {
        JsonObjectBuilder b = Json.createObjectBuilder(Map.of())
                .add("requestId", r.requestId().toString())
                .add("method", r.method())
                .add("status", r.status())
                .add("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .add("durationMs", r.duration().toNanos() / 1_000_000.0)
                .add("bytesOut", r.bytesOut());
        r.functionId().ifPresent(id -> b.add("functionId", id.toString()));
        r.versionId().ifPresent(id -> b.add("versionId", id.toString()));
        r.error().map(PlatformError::label).ifPresent(e -> b.add("error", e));
        return b.build().toString();
    }
}
