package io.fngate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminKeysTest {
    static final String KEY = "correct-horse-battery-staple";

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(nullValues = "-", value = {
            "-, MISSING",
            "'', MISSING",
            "Basic dXNlcjpwYXNz, MISSING",
            "'Bearer ', MISSING",
            "Bearer wrong-key-wrong-key, DENIED",
            "Bearer " + KEY + "x, DENIED",
            "Bearer " + KEY + ", ALLOWED",
            "bearer   " + KEY + ", ALLOWED",
    })
    void checksBearerKeys(String header, AdminKeys.Check expected) {
        assertEquals(expected, AdminKeys.of(List.of(KEY)).check(Optional.ofNullable(header)));
    }

    @Test
    void hashedEntriesAcceptTheKeyTheyHash() {
        AdminKeys keys = AdminKeys.of(List.of(AdminKeys.hashed(KEY)));
        assertEquals(AdminKeys.Check.ALLOWED, keys.check(Optional.of("Bearer " + KEY)));
        assertEquals(AdminKeys.Check.DENIED, keys.check(Optional.of("Bearer " + AdminKeys.hashed(KEY))));
    }

    @Test
    void withoutKeysEveryBearerIsDenied() {
        AdminKeys keys = AdminKeys.of(List.of());
        assertFalse(keys.configured());
        assertEquals(AdminKeys.Check.DENIED, keys.check(Optional.of("Bearer " + KEY)));
    }

    @Test
    void shortKeysAndBadHashesAreRejectedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> AdminKeys.of(List.of("short")));
        assertThrows(IllegalArgumentException.class, () -> AdminKeys.of(List.of("sha256:abc")));
    }

    @Test
    void keysComeFromConfigFileAndEnvironment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys");
        Files.writeString(file, "# admin keys\n\nfrom-the-file-0123456\n" + AdminKeys.hashed("hashed-in-file-0123") + "\n");
        Config registry = Config.just(ConfigSources.create(Map.of(
                "registry.admin-keys.0", "from-the-config-0123",
                "registry.admin-keys-file", file.toString()))).get("registry");
        AdminKeys keys = AdminKeys.create(registry, Map.of(AdminKeys.ENV, "from-the-environment-01"));
        assertEquals(4, keys.count());
        for (String k : List.of("from-the-config-0123", "from-the-file-0123456", "hashed-in-file-0123",
                "from-the-environment-01")) {
            assertEquals(AdminKeys.Check.ALLOWED, keys.check(Optional.of("Bearer " + k)), k);
        }
    }

    @Test
    void unreadableKeysFileStopsTheStartNamingIt(@TempDir Path dir) {
        Config registry = Config.just(ConfigSources.create(Map.of(
                "registry.admin-keys-file", dir.resolve("missing").toString()))).get("registry");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdminKeys.create(registry, Map.of()));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
}
