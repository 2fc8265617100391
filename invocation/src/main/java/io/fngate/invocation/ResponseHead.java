package io.fngate.invocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A parsed upstream status line and header block.
 *
 * @param status  status code
 * @param reason  reason phrase (may be empty)
 * @param headers header lines in arrival order, names as sent
 */
record ResponseHead(int status, String reason, List<Line> headers) {

    record Line(String name, String lowerName, String value) {
    }

    List<String> values(String lowerName) {
        List<String> values = new ArrayList<>(1);
        for (Line line : headers) {
            if (line.lowerName().equals(lowerName)) {
                values.add(line.value());
            }
        }
        return values;
    }

    /**
     * @return the Content-Length, empty when absent
     * @throws IllegalArgumentException when present but invalid or conflicting
     */
    OptionalLong contentLength() {
        List<String> values = values("content-length");
        if (values.isEmpty()) {
            return OptionalLong.empty();
        }
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",")) {
                long parsed;
                try {
                    parsed = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid Content-Length");
                }
                if (parsed < 0 || (length >= 0 && parsed != length)) {
                    throw new IllegalArgumentException("invalid Content-Length");
                }
                length = parsed;
            }
        }
        return OptionalLong.of(length);
    }

    boolean chunked() {
        List<String> values = values("transfer-encoding");
        if (values.isEmpty()) {
            return false;
        }
        String last = values.getLast();
        String[] codings = last.split(",");
        return codings[codings.length - 1].trim().equalsIgnoreCase("chunked");
    }

    boolean hasTransferEncoding() {
        return !values("transfer-encoding").isEmpty();
    }

    boolean connectionClose() {
        for (String v : values("connection")) {
            for (String token : v.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).equals("close")) {
                    return true;
                }
            }
        }
        return false;
    }

    String contentType() {
        List<String> values = values("content-type");
        return values.isEmpty() ? "" : values.getFirst();
    }
}
