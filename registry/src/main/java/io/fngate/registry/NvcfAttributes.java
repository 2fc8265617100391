package io.fngate.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * NVCF fields that fngate accepts, keeps and returns as they were sent, without acting on them: what a container
 * platform needs to start containers (image, arguments, environment, models, Helm chart, GPU shape), which fngate,
 * a gateway in front of instances that already run, does not do. Each is checked for the type NVCF gives it, so
 * that a stored document holds nothing the API would have refused.
 * <p>
 * Not responsible for the fields fngate does act on (inference URL and port, health, function type, concurrency,
 * instances): those are typed in {@link VersionSpec} and {@link DeploymentSpec}. Secret values are never kept
 * (see {@link VersionSpec#secrets()}).
 */
public final class NvcfAttributes {
    /** Fields of a function version kept as sent. */
    public static final Set<String> VERSION = Set.of("containerImage", "containerArgs", "containerEnvironment",
            "models", "resources", "helmChart", "helmChartServiceName", "apiBodyFormat", "rateLimit", "telemetries",
            "llmInvocationConfig", "utilsContainerImage");
    /** Fields of a deployment specification kept as sent. */
    public static final Set<String> SPECIFICATION = Set.of("gpu", "instanceType", "backend", "minInstances",
            "maxInstances", "clusters", "regions", "availabilityZones", "configuration", "autoscalingConfiguration",
            "attributes", "preferredOrder");
    private static final Set<String> STRINGS = Set.of("containerImage", "containerArgs", "helmChart",
            "helmChartServiceName", "utilsContainerImage", "gpu", "instanceType", "backend");
    private static final Set<String> OBJECTS = Set.of("rateLimit", "telemetries", "llmInvocationConfig",
            "autoscalingConfiguration");
    private static final Set<String> STRING_LISTS = Set.of("clusters", "regions", "availabilityZones");
    private static final int MAX_INSTANCES = 1_000_000;

    private NvcfAttributes() {
    }

    /**
     * The version fields among an object's fields, checked; other fields are left to the caller.
     *
     * @param object a request body or a stored {@code attributes} object
     * @param path   the object's path for messages ({@code body} for a request body)
     * @return only the kept fields, without {@code null}s
     * @throws IllegalArgumentException naming the field when a value has the wrong type
     */
    public static JsonObject version(JsonObject object, String path) {
        return pick(object, path, VERSION);
    }

    /**
     * The deployment-specification fields among an object's fields, checked; other fields are left to the caller.
     *
     * @param object one entry of {@code deploymentSpecifications}, or a stored one
     * @param path   its path for messages ({@code deploymentSpecifications[0]})
     * @return only the kept fields, without {@code null}s
     * @throws IllegalArgumentException naming the field when a value has the wrong type
     */
    public static JsonObject specification(JsonObject object, String path) {
        return pick(object, path, SPECIFICATION);
    }

    /** A stored attributes object: nothing but kept fields, each of its type. */
    static JsonObject stored(JsonValue value, String path, Set<String> names) {
        Fields.of(value, path, names, Set.of());
        return pick(value.asJsonObject(), path, names);
    }

    private static JsonObject pick(JsonObject object, String path, Set<String> names) {
        Set<String> present = new HashSet<>(object.keySet());
        present.retainAll(names);
        JsonObjectBuilder kept = Json.createObjectBuilder();
        Fields fields = Fields.of(object, path, object.keySet(), Set.of());
        for (String name : present.stream().sorted().toList()) {
            if (!fields.has(name)) {
                continue;
            }
            check(fields, name);
            kept.add(name, object.get(name));
        }
        return kept.build();
    }

    private static void check(Fields f, String name) {
        if (STRINGS.contains(name)) {
            f.string(name);
        } else if (OBJECTS.contains(name)) {
            JsonValue value = f.value(name).orElseThrow();
            Fields.of(value, f.path(name), value instanceof JsonObject o ? o.keySet() : Set.of(), Set.of());
        } else if (STRING_LISTS.contains(name)) {
            f.strings(name);
        } else {
            switch (name) {
            case "apiBodyFormat" -> {
                String format = f.string(name);
                if (!format.equals("PREDICT_V2") && !format.equals("CUSTOM")) {
                    throw new IllegalArgumentException(f.path(name) + ": " + format
                            + " (expected: PREDICT_V2 or CUSTOM)");
                }
            }
            case "containerEnvironment" -> {
                List<JsonValue> entries = f.array(name);
                for (int i = 0; i < entries.size(); i++) {
                    Fields e = Fields.of(entries.get(i), f.path(name) + "[" + i + "]", Set.of("key", "value"),
                            Set.of());
                    e.string("key");
                    e.string("value");
                }
            }
            case "models", "resources" -> {
                List<JsonValue> entries = f.array(name);
                for (int i = 0; i < entries.size(); i++) {
                    JsonValue entry = entries.get(i);
                    Fields e = Fields.of(entry, f.path(name) + "[" + i + "]", entry instanceof JsonObject o
                            ? o.keySet() : Set.of(), Set.of());
                    e.string("name");
                }
            }
            case "minInstances", "maxInstances" -> f.integer(name, 0, MAX_INSTANCES);
            case "preferredOrder" -> f.integer(name, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "configuration", "attributes" -> {
                // any JSON value: NVCF passes it on to the container platform
            }
            default -> throw new IllegalStateException("no check for " + name);
            }
        }
    }
}
