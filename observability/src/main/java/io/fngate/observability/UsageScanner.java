package io.fngate.observability;

/**
 * Finds OpenAI-style token usage ({@code "usage":{"prompt_tokens":N,"completion_tokens":M,...}}) in a body as
 * it passes, without buffering it: a matcher for the key {@code "usage"}, then at most {@link #MAX_OBJECT}
 * bytes of the object that follows, parsed when it closes. The last complete usage object wins (a stream
 * repeats {@code "usage":null} in every chunk and carries the counts in its final event; some servers send
 * running totals). Works on JSON bodies and on event streams alike: it looks at bytes, not at framing.
 * <p>
 * Not a JSON parser: a {@code "usage"} key inside a string value could fool it, which costs a wrong count,
 * never a failure. Not thread-safe: one per response.
 */
final class UsageScanner {
    static final int MAX_OBJECT = 1024;
    private static final byte[] KEY = "\"usage\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] PROMPT = "\"prompt_tokens\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] COMPLETION =
            "\"completion_tokens\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private enum State { SEEK, COLON, VALUE, OBJECT }

    private State state = State.SEEK;
    private int matched;
    private final byte[] object = new byte[MAX_OBJECT];
    private int length;
    private int depth;
    private boolean inString;
    private boolean escaped;
    private long prompt = -1;
    private long completion = -1;

    void accept(byte[] buf, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = buf[i];
            switch (state) {
            case SEEK -> {
                if (b == KEY[matched]) {
                    if (++matched == KEY.length) {
                        matched = 0;
                        state = State.COLON;
                    }
                } else {
                    matched = b == KEY[0] ? 1 : 0;
                }
            }
            case COLON -> {
                if (b == ':') {
                    state = State.VALUE;
                } else if (!space(b)) {
                    state = State.SEEK; // "usage" was a value, not a key
                }
            }
            case VALUE -> {
                if (b == '{') {
                    state = State.OBJECT;
                    length = 0;
                    depth = 1;
                    inString = false;
                    escaped = false;
                    object[length++] = b;
                } else if (!space(b)) {
                    state = State.SEEK; // null, or something else: no counts here
                }
            }
            case OBJECT -> object(b);
            default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void object(byte b) {
        if (length == MAX_OBJECT) {
            state = State.SEEK; // too large to be a usage object: ignored
            return;
        }
        object[length++] = b;
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
            }
            return;
        }
        if (b == '"') {
            inString = true;
        } else if (b == '{') {
            depth++;
        } else if (b == '}' && --depth == 0) {
            long p = number(PROMPT);
            long c = number(COMPLETION);
            if (p >= 0 || c >= 0) {
                prompt = Math.max(p, 0);
                completion = Math.max(c, 0);
            }
            state = State.SEEK;
        }
    }

    /** The non-negative integer after {@code key:} at any place in the captured object, or -1. */
    private long number(byte[] key) {
        outer:
        for (int i = 0; i + key.length <= length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (object[i + k] != key[k]) {
                    continue outer;
                }
            }
            int j = i + key.length;
            while (j < length && space(object[j])) {
                j++;
            }
            if (j >= length || object[j] != ':') {
                continue;
            }
            j++;
            while (j < length && space(object[j])) {
                j++;
            }
            long v = 0;
            int digits = 0;
            while (j < length && object[j] >= '0' && object[j] <= '9' && digits < 15) {
                v = v * 10 + (object[j++] - '0');
                digits++;
            }
            return digits == 0 ? -1 : v;
        }
        return -1;
    }

    private static boolean space(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /**
     * @return whether a usage object with token counts was seen
     */
    boolean found() {
        return prompt >= 0;
    }

    /**
     * @return prompt tokens of the last usage object (0 when it had none)
     */
    long promptTokens() {
        return Math.max(prompt, 0);
    }

    /**
     * @return completion tokens of the last usage object (0 when it had none)
     */
    long completionTokens() {
        return Math.max(completion, 0);
    }
}
