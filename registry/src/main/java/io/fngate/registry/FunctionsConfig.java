package io.fngate.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.helidon.config.Config;

/**
 * Reads statically declared functions from configuration, failing with the key that is wrong.
 */
final class FunctionsConfig {
    private FunctionsConfig() {
    }

    static List<InferenceFunction> parse(Config functions) {
        List<InferenceFunction> result = new ArrayList<>();
        if (!functions.exists()) {
            return result;
        }
        for (Config fn : functions.asNodeList().orElse(List.of())) {
            UUID id = uuid(fn.get("id"));
            String name = fn.get("name").asString().orElse(id.toString());
            List<FunctionVersion> versions = new ArrayList<>();
            for (Config v : fn.get("versions").asNodeList().orElse(List.of())) {
                List<Instance> instances = new ArrayList<>();
                for (Config i : v.get("instances").asNodeList().orElse(List.of())) {
                    Config url = i.get("url");
                    try {
                        instances.add(Instance.parse(url.asString().get()));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(url.key() + ": " + e.getMessage(), e);
                    }
                }
                versions.add(new FunctionVersion(uuid(v.get("id")), instances));
            }
            result.add(new InferenceFunction(id, name, versions));
        }
        return result;
    }

    private static UUID uuid(Config node) {
        String value = node.asString().orElseThrow(
                () -> new IllegalArgumentException(node.key() + ": missing (expected: a UUID)"));
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.key() + ": " + value + " is not a UUID");
        }
    }
}
