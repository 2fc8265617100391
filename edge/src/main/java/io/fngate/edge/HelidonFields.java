package io.fngate.edge;

import java.lang.reflect.Field;

/**
 * Finds the private Helidon 4.5.0 fields the edge reaches by reflection (each through an {@code --add-opens} of
 * the {@code fngate} script). Not responsible for what a caller does without one: it says so in its log line.
 */
final class HelidonFields {
    private HelidonFields() {
    }

    /**
     * @param className the declaring class
     * @param name      the field
     * @param log       where the caller says what it does without the field
     * @param level     how loudly
     * @param without   what is lost without it, e.g. "HTTP/2 responses are written frame by frame"
     * @return the field, made accessible; null when it is missing or not accessible (said once, here)
     */
    static Field find(String className, String name, System.Logger log, System.Logger.Level level, String without) {
        try {
            Field f = Class.forName(className).getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.log(level, () -> without + " (" + e + "; run with the fngate script's --add-opens)");
            return null;
        }
    }
}
