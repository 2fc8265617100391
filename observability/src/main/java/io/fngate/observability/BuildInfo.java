package io.fngate.observability;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The fngate version this module was built as (Maven writes it into {@code build.properties}).
 */
final class BuildInfo {
    static final String VERSION = read();

    private BuildInfo() {
    }

    private static String read() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
