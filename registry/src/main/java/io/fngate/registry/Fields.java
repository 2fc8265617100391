package io.fngate.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads the fields of one JSON object strictly: unknown fields, wrong types and bad values fail with an
 * {@link IllegalArgumentException} whose message starts with the field's path ({@code health.timeout: ...}).
 * A field whose value is JSON {@code null} counts as absent.
 * <p>
 * Shared by the store (stored documents) and the management API (request bodies), so that both refuse the same
 * values with the same words. Not responsible for parsing text (see {@link JsonText}).
 */
public final class Fields {
    private final JsonObject object;
    private final String prefix;

    private Fields(JsonObject object, String prefix) {
        this.object = object;
        this.prefix = prefix;
    }

    /**
     * @param value   the value that must be an object
     * @param path    its path for messages ({@code body}, {@code health}, {@code instances[2]})
     * @param known   fields read by the caller
     * @param ignored fields accepted and ignored (NVCF fields fngate does not act on)
     * @return the reader
     * @throws IllegalArgumentException when the value is no object or has a field in neither set
     */
    public static Fields of(JsonValue value, String path, Set<String> known, Set<String> ignored) {
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException(path + ": expected a JSON object");
        }
        String prefix = path.equals("body") ? "" : path + ".";
        for (String name : object.keySet()) {
            if (!known.contains(name) && !ignored.contains(name)) {
                throw new IllegalArgumentException(prefix + name + ": unknown field");
            }
        }
        return new Fields(object, prefix);
    }

    /**
     * @param name a field name
     * @return its path, for messages ({@code health.uri})
     */
    public String path(String name) {
        return prefix + name;
    }

    /**
     * @param name a field name
     * @return whether the field is there and not {@code null}
     */
    public boolean has(String name) {
        JsonValue v = object.get(name);
        return v != null && v.getValueType() != JsonValue.ValueType.NULL;
    }

    /**
     * @param name a field name
     * @return its value, unless absent or {@code null}
     */
    public Optional<JsonValue> value(String name) {
        return has(name) ? Optional.of(object.get(name)) : Optional.empty();
    }

    /**
     * @param name a field name
     * @return its string
     * @throws IllegalArgumentException when it is missing or not a string
     */
    public String string(String name) {
        return optString(name).orElseThrow(() -> new IllegalArgumentException(path(name) + ": missing"));
    }

    /**
     * @param name a field name
     * @return its string, unless absent
     * @throws IllegalArgumentException when it is not a string
     */
    public Optional<String> optString(String name) {
        return value(name).map(v -> {
            if (v instanceof JsonString s) {
                return s.getString();
            }
            throw new IllegalArgumentException(path(name) + ": expected a string");
        });
    }

    /**
     * An integer that must be there.
     *
     * @param name a field name
     * @param min  smallest accepted
     * @param max  largest accepted
     * @return its value
     * @throws IllegalArgumentException when missing, not an integer or out of bounds
     */
    public int integer(String name, int min, int max) {
        return optInt(name, min, max).orElseThrow(() -> new IllegalArgumentException(path(name) + ": missing"));
    }

    /**
     * @param name a field name
     * @param min  smallest accepted
     * @param max  largest accepted
     * @return its value, unless absent
     * @throws IllegalArgumentException when not an integer or out of bounds
     */
    public Optional<Integer> optInt(String name, int min, int max) {
        return value(name).map(v -> {
            if (v instanceof JsonNumber n && n.isIntegral()) {
                long l = n.longValue();
                if (l >= min && l <= max && n.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(l)) == 0) {
                    return (int) l;
                }
            }
            throw new IllegalArgumentException(path(name) + ": expected an integer from " + min + " to " + max);
        });
    }

    /**
     * @param name     a field name
     * @param fallback the value when absent
     * @return its value
     * @throws IllegalArgumentException when not a boolean
     */
    public boolean optBoolean(String name, boolean fallback) {
        return value(name).map(v -> switch (v.getValueType()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> throw new IllegalArgumentException(path(name) + ": expected true or false");
        }).orElse(fallback);
    }

    /**
     * @param name a field name
     * @return its UUID
     * @throws IllegalArgumentException when missing or not a UUID in canonical form
     */
    public UUID uuid(String name) {
        return parseUuid(string(name), path(name));
    }

    /**
     * @param name a field name
     * @return its ISO-8601 instant
     * @throws IllegalArgumentException when missing or not an instant
     */
    public Instant instant(String name) {
        String v = string(name);
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(path(name) + ": " + v + " is not an ISO-8601 instant");
        }
    }

    /**
     * An ISO-8601 duration ({@code PT10S}) within bounds.
     *
     * @param name a field name
     * @param min  shortest accepted
     * @param max  longest accepted
     * @return its value, unless absent
     * @throws IllegalArgumentException when not a duration or out of bounds
     */
    public Optional<Duration> optDuration(String name, Duration min, Duration max) {
        return optString(name).map(v -> {
            Duration d;
            try {
                d = Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(path(name) + ": " + v + " is not an ISO-8601 duration (e.g. PT10S)");
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(path(name) + ": " + v + " (expected: from " + min + " to " + max + ")");
            }
            return d;
        });
    }

    /**
     * @param name a field name
     * @return its array of strings; absent is empty
     * @throws IllegalArgumentException when not an array of strings
     */
    public List<String> strings(String name) {
        List<String> result = new ArrayList<>();
        int i = 0;
        for (JsonValue v : array(name)) {
            if (!(v instanceof JsonString s)) {
                throw new IllegalArgumentException(path(name) + "[" + i + "]: expected a string");
            }
            result.add(s.getString());
            i++;
        }
        return result;
    }

    /**
     * An array that must be there; it may be empty.
     *
     * @param name a field name
     * @return its elements
     * @throws IllegalArgumentException when missing or not an array
     */
    public List<JsonValue> requiredArray(String name) {
        if (!has(name)) {
            throw new IllegalArgumentException(path(name) + ": missing");
        }
        return array(name);
    }

    /**
     * An array of strings that must be there; it may be empty.
     *
     * @param name a field name
     * @return its strings
     * @throws IllegalArgumentException when missing or not an array of strings
     */
    public List<String> requiredStrings(String name) {
        requiredArray(name);
        return strings(name);
    }

    /**
     * An array; absent is empty.
     *
     * @param name a field name
     * @return its elements
     * @throws IllegalArgumentException when not an array
     */
    public List<JsonValue> array(String name) {
        return value(name).map(v -> {
            if (v.getValueType() != JsonValue.ValueType.ARRAY) {
                throw new IllegalArgumentException(path(name) + ": expected an array");
            }
            return v.asJsonArray().stream().toList();
        }).orElse(List.of());
    }

    /**
     * Reads a UUID in canonical form (any case), as ids are written.
     *
     * @param value the text
     * @param path  where it came from, for the message
     * @return the UUID
     * @throws IllegalArgumentException {@code <path>: <value> is not a UUID}
     */
    public static UUID parseUuid(String value, String path) {
        String v = value.trim();
        try {
            UUID id = UUID.fromString(v);
            if (id.toString().equalsIgnoreCase(v)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(path + ": " + value + " is not a UUID");
    }
}
