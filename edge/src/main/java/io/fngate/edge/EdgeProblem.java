package io.fngate.edge;

import java.util.UUID;

/**
 * Every answer the edge gives instead of the application, with its status, problem label and title. The detail
 * text never contains request bytes.
 */
enum EdgeProblem {
    MALFORMED_REQUEST_LINE(400, "malformed-request-line", "Malformed request line"),
    MALFORMED_LINE_ENDING(400, "malformed-line-ending", "Malformed line ending"),
    MALFORMED_REQUEST_TARGET(400, "malformed-request-target", "Malformed request target"),
    REQUEST_LINE_TOO_LONG(414, "request-line-too-long", "Request line too long"),
    HTTP_VERSION_NOT_SUPPORTED(505, "http-version-not-supported", "HTTP version not supported"),
    MALFORMED_HEADER(400, "malformed-header", "Malformed header field"),
    HEADER_FIELDS_TOO_LARGE(431, "header-fields-too-large", "Request header fields too large"),
    INVALID_FRAMING(400, "invalid-message-framing", "Invalid message framing"),
    UNSUPPORTED_TRANSFER_CODING(501, "unsupported-transfer-coding", "Transfer coding not implemented"),
    MISSING_HOST(400, "missing-host", "Missing Host header"),
    INVALID_HOST(400, "invalid-host", "Invalid Host header"),
    HOST_MISMATCH(400, "host-mismatch", "Host header does not match the request target"),
    MALFORMED_BODY(400, "malformed-body", "Malformed request body"),
    REQUEST_HEAD_TIMEOUT(408, "request-head-timeout", "Request head timeout");

    private final int status;
    private final String label;
    private final String title;

    EdgeProblem(int status, String label, String title) {
        this.status = status;
        this.label = label;
        this.title = title;
    }

    int status() {
        return status;
    }

    String label() {
        return label;
    }

    /** The standard reason phrase of the status, for the status line. */
    String reason() {
        return switch (status) {
            case 408 -> "Request Timeout";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Bad Request";
        };
    }

    ProblemDetails details(String detail) {
        return new ProblemDetails(status, label, title, detail, UUID.randomUUID());
    }
}
