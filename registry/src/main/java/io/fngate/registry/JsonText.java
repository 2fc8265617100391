package io.fngate.registry;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

/**
 * Parses JSON text that comes from outside the process (management request bodies, store files) into one value,
 * refusing anything that is not exactly one well-formed JSON value or that nests deeper than {@link #MAX_DEPTH}.
 * <p>
 * The nesting is counted in a streaming pass before any tree is built: the tree reader recurses once per level,
 * so without the limit a hostile body costs a deep stack and, when the parser gives up, an exception whose
 * stack trace has a line per level. Every failure is an {@link IllegalArgumentException} whose message names
 * the problem and never carries a stack trace worth logging. Not responsible for the shape of the value (see
 * {@link Fields}).
 */
public final class JsonText {
    /**
     * Deepest nesting of objects and arrays accepted: a top-level object is level 1. Management bodies and
     * stored documents need at most 5.
     */
    public static final int MAX_DEPTH = 32;

    private JsonText() {
    }

    /**
     * @param text JSON text
     * @return the value it holds
     * @throws IllegalArgumentException "not valid JSON (...)" or "nested deeper than 32 levels (...)"
     */
    public static JsonValue parse(String text) {
        checkDepth(text);
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (RuntimeException e) {
            // JsonException for syntax; the parser's own limits (number length) throw other runtime exceptions
            throw invalid(e);
        }
    }

    private static void checkDepth(String text) {
        long tooDeepAt = -1;
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            int depth = 0;
            while (tooDeepAt < 0 && parser.hasNext()) {
                switch (parser.next()) {
                case START_OBJECT, START_ARRAY -> {
                    depth++;
                    if (depth > MAX_DEPTH) {
                        tooDeepAt = parser.getLocation().getStreamOffset();
                    }
                }
                case END_OBJECT, END_ARRAY -> depth--;
                default -> {
                    // scalars and keys do not nest
                }
                }
            }
        } catch (RuntimeException e) {
            throw invalid(e);
        }
        if (tooDeepAt >= 0) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels (at offset " + tooDeepAt
                    + ")");
        }
    }

    private static IllegalArgumentException invalid(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return new IllegalArgumentException("not valid JSON (" + message + ")");
    }
}
