package io.fngate.edge;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * One platform error as an RFC 9457 problem: the single writer of fngate's {@code application/problem+json}
 * bodies, shared by the edge, the invocation path and the management API.
 * <p>
 * The body has exactly the fields {@code type} ({@value #TYPE_PREFIX}{@code <label>}), {@code title},
 * {@code status}, {@code detail}, {@code instance} ({@code urn:uuid:<requestId>}) and {@code requestId}, plus
 * {@code traceId} where the request's trace is known (the invocation path). The
 * same id goes in the response's {@code nvcf-reqid} header; every such response also carries
 * {@code Cache-Control: no-store}.
 * <p>
 * Not a place for request data: {@code detail} should say what was wrong in words chosen by the gateway, never
 * echo bytes the client sent (they would be reflected to whoever reads the answer, and may be huge).
 * <p>
 * The JSON is written by hand rather than with JSON-P: five string fields and a number need only RFC 8259
 * string escaping, this runs on connection threads at the edge (where a malformed request must not cost a
 * service lookup or a parser factory), and the tests check the output with a real parser.
 *
 * @param status    HTTP status code, 400 to 599
 * @param label     kebab-case name of the problem kind ({@code header-fields-too-large}); also a metric label
 * @param title     short summary, constant for the kind
 * @param detail    explanation of this occurrence
 * @param requestId the request's id (UUIDv4), as sent in {@code nvcf-reqid}
 */
public record ProblemDetails(int status, String label, String title, String detail, UUID requestId) {
    /** Media type of the body. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Prefix of every problem {@code type}. */
    public static final String TYPE_PREFIX = "urn:fngate:problem-details:";
    /** Name of the response header that carries the request id. */
    public static final String REQUEST_ID_HEADER = "nvcf-reqid";

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException when the status is not 400..599 or the label is not kebab-case
     */
    public ProblemDetails {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(requestId, "requestId");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
        }
        if (!label.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("label: " + label + " (expected: kebab-case, e.g. bad-request)");
        }
    }

    /**
     * A problem with a fresh random request id.
     *
     * @param status HTTP status code, 400 to 599
     * @param label  kebab-case kind
     * @param title  short summary
     * @param detail explanation of this occurrence
     * @return the problem
     */
    public static ProblemDetails create(int status, String label, String title, String detail) {
        return new ProblemDetails(status, label, title, detail, UUID.randomUUID());
    }

    /**
     * @return the problem type URI, {@value #TYPE_PREFIX}{@code <label>}
     */
    public String type() {
        return TYPE_PREFIX + label;
    }

    /**
     * @return the occurrence URI, {@code urn:uuid:<requestId>}
     */
    public String instance() {
        return "urn:uuid:" + requestId;
    }

    /**
     * @return the problem as one JSON object
     */
    public String toJson() {
        return toJson(null);
    }

    /**
     * The problem with the W3C trace id of the request it answers, so that an error a client reports can be found
     * in the traces and logs.
     *
     * @param traceId 32 lower-case hex digits
     * @return the problem as one JSON object, with a {@code traceId} field
     */
    public byte[] toBytes(String traceId) {
        return toJson(Objects.requireNonNull(traceId, "traceId")).getBytes(StandardCharsets.UTF_8);
    }

    private String toJson(String traceId) {
        StringBuilder sb = new StringBuilder(160 + title.length() + detail.length());
        sb.append("{\"type\":");
        string(sb, type());
        sb.append(",\"title\":");
        string(sb, title);
        sb.append(",\"status\":").append(status).append(",\"detail\":");
        string(sb, detail);
        sb.append(",\"instance\":");
        string(sb, instance());
        sb.append(",\"requestId\":");
        string(sb, requestId.toString());
        if (traceId != null) {
            sb.append(",\"traceId\":");
            string(sb, traceId);
        }
        return sb.append('}').toString();
    }

    /**
     * @return {@link #toJson()} in UTF-8, ready to send as the body
     */
    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code s} as a JSON string (RFC 8259 section 7); lone surrogates become U+FFFD. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            // legal in JSON, but not in JavaScript string literals: escaped so the body is safe to embed
            case '\u2028', '\u2029' -> sb.append(c == '\u2028' ? "\\u2028" : "\\u2029");
            default -> {
                if (c < 0x20) {
                    sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    sb.append(c).append(s.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    sb.append('\uFFFD'); // UTF-8 cannot encode a lone surrogate
                } else {
                    sb.append(c);
                }
            }
            }
        }
        sb.append('"');
    }
}
