package io.fngate.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

import io.helidon.config.Config;

/**
 * The API keys of a gateway and the one check every request goes through.
 * <p>
 * Keys come from the configuration ({@code auth.keys}, {@code auth.keys-file}; the older admin keys
 * {@code registry.admin-keys}, {@code registry.admin-keys-file} and {@code FNGATE_ADMIN_KEY} become keys with
 * every scope) and from the management API ({@link #create}, kept in a {@link KeyStore}: only the secret's hash,
 * written durably before the key works; {@link #revoke} stops a key at once and for good). Lookups read an
 * immutable table and never wait; changes build a new one.
 * <p>
 * Not responsible for what a scope allows on which route (the callers decide), nor for HTTP answers.
 */
public final class ApiKeys {
    /** The environment variable with one more key, with every scope. */
    public static final String ENV = "FNGATE_ADMIN_KEY";
    private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());

    private final List<KeyTable.Entry> configured;
    private final KeyStore store;
    private final Clock clock;
    private final boolean invocationAuth;
    private final Object writeLock = new Object();
    private volatile KeyTable table;

    private ApiKeys(List<KeyTable.Entry> configured, KeyStore store, Clock clock, boolean invocationAuth) {
        this.configured = List.copyOf(configured);
        this.store = store;
        this.clock = clock;
        this.invocationAuth = invocationAuth;
        this.table = build(configured, KeyDocuments.read(store.load()));
    }

    /**
     * Reads the keys of a configuration root and the store.
     *
     * @param root        configuration root ({@code auth.*}, and the older {@code registry.admin-keys*})
     * @param environment environment variables ({@value #ENV})
     * @param store       where API-made keys are kept
     * @return the keys
     * @throws IllegalArgumentException naming the key or file line that is wrong
     */
    public static ApiKeys create(Config root, Map<String, String> environment, KeyStore store) {
        return create(root, environment, store, List.of());
    }

    /**
     * Like {@link #create(Config, Map, KeyStore)}, with extra keys that may do everything (the demo's own key).
     *
     * @param extra keys of at least 16 characters
     * @return the keys
     */
    public static ApiKeys create(Config root, Map<String, String> environment, KeyStore store, List<String> extra) {
        List<KeyTable.Entry> entries = new ArrayList<>();
        Config auth = root.get("auth");
        auth.get("keys").asList(String.class).ifPresent(list -> {
            for (int i = 0; i < list.size(); i++) {
                entries.add(KeyFile.parse(list.get(i), auth.get("keys").key() + "." + i));
            }
        });
        file(auth.get("keys-file"), entries);
        Config registry = root.get("registry");
        registry.get("admin-keys").asList(String.class).ifPresent(list -> {
            for (int i = 0; i < list.size(); i++) {
                entries.add(KeyFile.parse(list.get(i), registry.get("admin-keys").key() + "." + i));
            }
        });
        file(registry.get("admin-keys-file"), entries);
        Optional.ofNullable(environment.get(ENV)).filter(v -> !v.isBlank())
                .ifPresent(v -> entries.add(KeyFile.parse(v.strip(), ENV)));
        for (String key : extra) {
            entries.add(KeyFile.parse(key, "generated key"));
        }
        boolean enabled = auth.get("invocation").asBoolean().orElse(true);
        ApiKeys keys = new ApiKeys(entries, store, Clock.systemUTC(), enabled);
        if (!enabled) {
            LOG.warning("auth.invocation is false: anyone who can reach the public socket may invoke any function");
        } else if (keys.table.isEmpty()) {
            LOG.warning("no API key configured: invocation is open to anyone and the management API refuses every "
                    + "call (set auth.keys-file, auth.keys or " + ENV + ")");
        }
        return keys;
    }

    private static void file(Config node, List<KeyTable.Entry> entries) {
        node.asString().ifPresent(name -> {
            Path path = Path.of(name);
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(node.key() + ": cannot read " + path.toAbsolutePath() + ": " + e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    entries.add(KeyFile.parse(line, path + " line " + (i + 1)));
                }
            }
        });
    }

    /**
     * Keys for tests: exactly these, invocation auth on.
     *
     * @param lines key-file lines
     * @param store the store
     * @param clock clock for creation times
     * @return the keys
     */
    public static ApiKeys of(List<String> lines, KeyStore store, Clock clock) {
        List<KeyTable.Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            entries.add(KeyFile.parse(lines.get(i), "key " + i));
        }
        return new ApiKeys(entries, store, clock, true);
    }

    /**
     * @return whether invocations must present a key: some key exists and {@code auth.invocation} is not false
     */
    public boolean invocationAuth() {
        return invocationAuth && !table.isEmpty();
    }

    /**
     * @return whether any key exists at all
     */
    public boolean configured() {
        return !table.isEmpty();
    }

    /**
     * Checks an {@code Authorization} header value. Allocates nothing but the SHA-256 of the presented secret; a
     * match is found by the key's id (fngate keys) or by comparing with every file key, in constant time.
     *
     * @param authorization the header value; null when absent
     * @return the caller, or why not
     */
    public AuthResult authenticate(String authorization) {
        if (authorization == null) {
            return Rejection.MISSING;
        }
        int from = 0;
        int to = authorization.length();
        while (from < to && authorization.charAt(from) == ' ') {
            from++;
        }
        while (to > from && authorization.charAt(to - 1) == ' ') {
            to--;
        }
        if (from == to) {
            return Rejection.MISSING;
        }
        if (to - from < 7 || !authorization.regionMatches(true, from, "Bearer ", 0, 7)) {
            return Rejection.MALFORMED;
        }
        from += 7;
        while (from < to && authorization.charAt(from) == ' ') {
            from++;
        }
        if (from >= to) {
            return Rejection.MALFORMED;
        }
        KeyTable t = table;
        if (Tokens.minted(authorization, from, to)) {
            boolean[] bad = {false};
            int id = from + Tokens.PREFIX.length();
            long msb = Tokens.hexNibbles(authorization, id, bad);
            long lsb = Tokens.hexNibbles(authorization, id + 16, bad);
            if (!bad[0]) {
                Caller c = t.minted(msb, lsb, authorization, to - Tokens.SECRET_CHARS, to);
                if (c != null) {
                    return c;
                }
            }
        }
        Caller c = t.plain(authorization, from, to);
        return c != null ? c : Rejection.UNKNOWN;
    }

    /** A key just made: what it may do, and the key itself, shown this once. */
    public record Created(KeyInfo info, String key) {
    }

    /**
     * Makes a key and keeps its hash in the store; it works as soon as this returns.
     *
     * @param name      a label
     * @param scopes    what it may do
     * @param functions functions it may invoke; empty: all
     * @return the key, with its secret (never stored, never shown again)
     */
    public Created create(String name, Set<Scope> scopes, Optional<Set<UUID>> functions) {
        Objects.requireNonNull(name, "name");
        Tokens.Minted minted = Tokens.mint();
        KeyInfo info = new KeyInfo(minted.id(), name, scopes.isEmpty() ? EnumSet.noneOf(Scope.class)
                : EnumSet.copyOf(scopes), functions, clock.instant(), KeyInfo.Source.API);
        synchronized (writeLock) {
            store.put(info.id(), KeyDocuments.write(info, minted.secretHash()));
            table = build(configured, KeyDocuments.read(store.load()));
        }
        return new Created(info, minted.token());
    }

    /**
     * @return every key, configured ones first, then by creation time
     */
    public List<KeyInfo> list() {
        return table.entries().stream().map(e -> e.caller().key())
                .sorted(Comparator.comparing(KeyInfo::source).thenComparing(KeyInfo::createdAt)).toList();
    }

    /**
     * @param id a key id
     * @return the key, when there is one
     */
    public Optional<KeyInfo> find(UUID id) {
        return list().stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /**
     * Revokes a key made through the API: removed from the store, then from the table, so it stops working at
     * once and stays revoked after a restart.
     *
     * @param id the key's id
     * @return whether there was such a key
     * @throws IllegalStateException when the key comes from the configuration (change the file instead)
     */
    public boolean revoke(UUID id) {
        synchronized (writeLock) {
            Optional<KeyInfo> key = find(id);
            if (key.isEmpty()) {
                return false;
            }
            if (key.get().source() == KeyInfo.Source.CONFIG) {
                throw new IllegalStateException("key " + id + " comes from the configuration: remove it there");
            }
            store.delete(id);
            table = build(configured, KeyDocuments.read(store.load()));
            return true;
        }
    }

    private static KeyTable build(List<KeyTable.Entry> configured, List<KeyTable.Entry> stored) {
        return new KeyTable(stored, configured);
    }
}
