package io.fngate.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A registry over an immutable map, fixed at creation; no health checks, no management API.
 */
final class StaticRegistry implements Registry {
    private final Map<UUID, InferenceFunction> byId;

    StaticRegistry(List<InferenceFunction> functions) {
        this.byId = Map.copyOf(functions.stream().collect(Collectors.toMap(
                InferenceFunction::id,
                Function.identity(),
                (a, b) -> {
                    throw new IllegalArgumentException("functions: duplicate function id " + a.id());
                })));
    }

    @Override
    public Optional<InferenceFunction> function(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Collection<InferenceFunction> functions() {
        return byId.values();
    }
}
