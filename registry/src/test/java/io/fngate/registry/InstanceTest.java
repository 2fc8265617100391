package io.fngate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InstanceTest {

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:9000, 127.0.0.1, 9000, 127.0.0.1:9000",
            "http://fn.local, fn.local, 80, fn.local",
            "http://[::1]:81/, ::1, 81, [::1]:81",
            "https://fn.local, fn.local, 443, fn.local",
            "https://fn.local:8443, fn.local, 8443, fn.local:8443",
            "https://fn.local:80, fn.local, 80, fn.local:80"
    })
    void parsesHttpBaseUrls(String url, String host, int port, String authority) {
        Instance i = Instance.parse(url);
        assertEquals(host, i.host());
        assertEquals(port, i.port());
        assertEquals(authority, i.authority());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "/relative", "http://", "http://h/?q=1", "not a url"})
    void rejectsNonHttpOrRelativeUrls(String url) {
        assertThrows(IllegalArgumentException.class, () -> Instance.parse(url));
    }
}
