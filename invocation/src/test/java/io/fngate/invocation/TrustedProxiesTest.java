package io.fngate.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {
    private final TrustedProxies trusted = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8",
            "2001:db8::1", "172.16.0.0/12"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.1.2.3, true",
            "11.0.0.1, false",
            "192.168.1.7, true",
            "192.168.1.8, false",
            "172.31.255.255, true",
            "172.32.0.0, false",
            "fd12:3456::1, true",
            "fe80::1, false",
            "2001:db8::1, true",
            "[2001:db8::1], true",
            "::ffff:10.9.9.9, true",
            "localhost, false",
            "abc.def, false",
            "'', false",
    })
    void addressesAreTrustedByRange(String address, boolean expected) {
        assertEquals(expected, trusted.trusts(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "proxy.example.com", "10.0.0/8", "::1/129", "10.0.0.0/x"})
    void badEntriesAreRefusedWithTheirText(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of(entry)));
        assertEquals(true, e.getMessage().contains(entry), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void nobodyIsTrustedByDefault() {
        assertFalse(TrustedProxies.none().trusts("127.0.0.1"));
    }
}
