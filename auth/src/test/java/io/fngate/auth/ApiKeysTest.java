package io.fngate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeysTest {
    static final String ADMIN = "admin-key-0123456789abcdef";
    final KeyStore store = KeyStore.memory();
    final ApiKeys keys = ApiKeys.of(List.of(ADMIN), store, Clock.systemUTC());

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL | MISSING",
            "'' | MISSING",
            "'   ' | MISSING",
            "Basic YWxhZGRpbjpvcGVuc2VzYW1l | MALFORMED",
            "Bearer | MALFORMED",
            "'Bearer   ' | MALFORMED",
            "Bearer not-a-key-of-ours-0000 | UNKNOWN",
            "Bearer fngate_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | UNKNOWN",
            "Bearer admin-key-0123456789abcdef | ALLOWED",
            "bearer admin-key-0123456789abcdef | ALLOWED",
            "'  Bearer   admin-key-0123456789abcdef  ' | ALLOWED",
            "Bearer admin-key-0123456789abcdeF | UNKNOWN",
    })
    void credentialsAreCheckedAsWritten(String header, String expected) {
        AuthResult result = keys.authenticate(header);
        if (expected.equals("ALLOWED")) {
            assertTrue(assertInstanceOf(Caller.class, result).may(Scope.DEPLOY_FUNCTION));
        } else {
            assertEquals(Rejection.valueOf(expected), result);
        }
    }

    @Test
    void aCreatedKeyWorksAtOnceWithItsScopesAndFunctionsOnly() {
        UUID fn = UUID.randomUUID();
        ApiKeys.Created k = keys.create("ci", EnumSet.of(Scope.INVOKE_FUNCTION), Optional.of(Set.of(fn)));
        assertTrue(k.key().startsWith("fngate_"));
        Caller c = assertInstanceOf(Caller.class, keys.authenticate("Bearer " + k.key()));
        assertEquals(k.info().id(), c.key().id());
        assertTrue(c.mayInvoke(fn));
        assertFalse(c.mayInvoke(UUID.randomUUID()));
        assertFalse(c.may(Scope.LIST_FUNCTIONS));
        // the same id with another secret, or a secret one character off, is no key
        String other = k.key().substring(0, k.key().length() - 1) + (k.key().endsWith("A") ? "B" : "A");
        assertEquals(Rejection.UNKNOWN, keys.authenticate("Bearer " + other));
    }

    @Test
    void theStoreKeepsOnlyTheHashAndRevocationIsImmediateAndDurable() {
        ApiKeys.Created k = keys.create("temp", EnumSet.allOf(Scope.class), Optional.empty());
        JsonObject doc = store.load().get(k.info().id());
        String secret = k.key().substring(k.key().length() - Tokens.SECRET_CHARS);
        assertFalse(doc.toString().contains(secret), "the secret is stored: " + doc);
        assertFalse(doc.toString().contains(k.key()));
        assertEquals(Tokens.hex(Tokens.sha256(secret, 0, secret.length())), doc.getString("secretSha256"));
        // a restart finds it
        ApiKeys restarted = ApiKeys.of(List.of(ADMIN), store, Clock.systemUTC());
        assertInstanceOf(Caller.class, restarted.authenticate("Bearer " + k.key()));
        assertTrue(restarted.revoke(k.info().id()));
        assertEquals(Rejection.UNKNOWN, restarted.authenticate("Bearer " + k.key()));
        assertEquals(Rejection.UNKNOWN, ApiKeys.of(List.of(ADMIN), store, Clock.systemUTC())
                .authenticate("Bearer " + k.key()));
        assertFalse(restarted.revoke(k.info().id()));
    }

    @Test
    void configuredKeysAreHashesScopesAndFunctionsAndCannotBeRevokedThroughTheApi() {
        UUID fn = UUID.randomUUID();
        String reader = "reader-key-0123456789abcdef";
        ApiKeys k = ApiKeys.of(List.of(KeyFile.hashed(reader) + " scopes=invoke_function,list_functions functions="
                + fn + " name=reader"), store, Clock.systemUTC());
        Caller c = assertInstanceOf(Caller.class, k.authenticate("Bearer " + reader));
        assertEquals("reader", c.key().name());
        assertEquals(EnumSet.of(Scope.INVOKE_FUNCTION, Scope.LIST_FUNCTIONS), c.key().scopes());
        assertTrue(c.mayInvoke(fn));
        assertFalse(c.mayInvoke(UUID.randomUUID()));
        assertThrows(IllegalStateException.class, () -> k.revoke(c.key().id()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "short | at least 16 characters",
            "sha256:abc | 64 hex digits",
            "long-enough-key-0123 scopes=fly | unknown scope fly",
            "long-enough-key-0123 functions=x | x is not a function id",
            "long-enough-key-0123 colour=red | unknown attribute colour",
    })
    void badKeyLinesNameTheirProblem(String line, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.of(List.of(line), store, Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("key 0: ") && e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void invocationAuthIsOnWhenAnyKeyExistsUnlessTurnedOff() {
        Config none = Config.just(ConfigSources.create(Map.of()));
        assertFalse(ApiKeys.create(none, Map.of(), KeyStore.memory()).invocationAuth());
        assertTrue(ApiKeys.create(none, Map.of(ApiKeys.ENV, ADMIN), KeyStore.memory()).invocationAuth());
        Config off = Config.just(ConfigSources.create(Map.of("auth.invocation", "false",
                "registry.admin-keys.0", ADMIN)));
        ApiKeys openInvocation = ApiKeys.create(off, Map.of(), KeyStore.memory());
        assertFalse(openInvocation.invocationAuth());
        assertTrue(openInvocation.configured());
    }

    @Test
    void aCheckAllocatesNoMoreThanTheHash() {
        ApiKeys.Created k = keys.create("hot", EnumSet.of(Scope.INVOKE_FUNCTION), Optional.empty());
        String header = "Bearer " + k.key();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) { // warm up: the JIT removes what it can
            keys.authenticate(header);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            keys.authenticate(header);
        }
        long perCheck = (threads.getCurrentThreadAllocatedBytes() - before) / n;
        // the 32-byte hash array and what the digest needs to produce it, nothing per request besides
        assertTrue(perCheck <= 128, perCheck + " bytes allocated per check");
    }
}
