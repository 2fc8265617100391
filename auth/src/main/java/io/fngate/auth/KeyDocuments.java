package io.fngate.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The stored form of a key made through the API: its id, name, scopes, functions, creation time and the SHA-256
 * of its secret; never the secret. Reading is strict: a damaged document stops the start, naming the key.
 */
final class KeyDocuments {
    private KeyDocuments() {
    }

    static JsonObject write(KeyInfo info, byte[] secretHash) {
        JsonArrayBuilder scopes = Json.createArrayBuilder();
        info.scopes().forEach(s -> scopes.add(s.wire()));
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", info.id().toString())
                .add("name", info.name())
                .add("scopes", scopes)
                .add("createdAt", info.createdAt().toString())
                .add("secretSha256", HexFormat.of().formatHex(secretHash));
        info.functions().ifPresent(f -> {
            JsonArrayBuilder ids = Json.createArrayBuilder();
            f.stream().sorted().forEach(id -> ids.add(id.toString()));
            b.add("functions", ids);
        });
        return b.build();
    }

    static List<KeyTable.Entry> read(Map<UUID, JsonObject> documents) {
        List<KeyTable.Entry> entries = new ArrayList<>();
        documents.forEach((id, doc) -> {
            try {
                String source = "stored key " + id;
                UUID stored = UUID.fromString(doc.getString("id"));
                if (!stored.equals(id)) {
                    throw new IllegalArgumentException("holds key " + stored);
                }
                Set<Scope> scopes = KeyFile.scopes(String.join(",", strings(doc.getJsonArray("scopes"))), source);
                Optional<Set<UUID>> functions = doc.containsKey("functions")
                        ? Optional.of(KeyFile.functions(String.join(",", strings(doc.getJsonArray("functions"))),
                        source)) : Optional.empty();
                byte[] hash = HexFormat.of().parseHex(doc.getString("secretSha256"));
                if (hash.length != 32) {
                    throw new IllegalArgumentException("secretSha256 is not 32 bytes");
                }
                KeyInfo info = new KeyInfo(id, doc.getString("name"), scopes, functions,
                        Instant.parse(doc.getString("createdAt")), KeyInfo.Source.API);
                entries.add(new KeyTable.Entry(new Caller(info), id.getMostSignificantBits(),
                        id.getLeastSignificantBits(), hash));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("stored key " + id + " is damaged: " + e.getMessage(), e);
            }
        });
        return entries;
    }

    private static List<String> strings(jakarta.json.JsonArray array) {
        List<String> out = new ArrayList<>();
        for (JsonValue v : array) {
            out.add(((JsonString) v).getString());
        }
        return out;
    }
}
