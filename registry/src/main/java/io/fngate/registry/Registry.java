package io.fngate.registry;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.config.Config;

/**
 * Looks functions up by id. Lookups never block and always see a complete, consistent snapshot, in which a
 * version lists only the instances that may serve it now.
 * <p>
 * Not responsible for choosing versions or instances for a request; see the routing module.
 */
public interface Registry {

    /**
     * Creates a registry holding exactly the given functions.
     *
     * @param functions functions; ids must be unique
     * @return a read-only registry
     */
    static Registry of(List<InferenceFunction> functions) {
        return new StaticRegistry(functions);
    }

    /**
     * Creates a registry from a {@code functions} config list (see README, "Configuration"), without health
     * checks, store or management API (see {@link FunctionRegistry} for those); versions that set no
     * {@code max-request-concurrency} are not limited.
     *
     * @param functions the {@code functions} node; missing means no functions
     * @return a read-only registry
     * @throws IllegalArgumentException naming the offending key when the configuration is invalid
     */
    static Registry create(Config functions) {
        return new StaticRegistry(FunctionsConfig.plain(FunctionsConfig.parse(functions, java.time.Instant.now()),
                FunctionVersion.MAX_REQUEST_CONCURRENCY));
    }

    /**
     * Finds a function.
     *
     * @param id function id
     * @return the function, or empty when unknown
     */
    Optional<InferenceFunction> function(UUID id);

    /**
     * All functions of the current snapshot.
     *
     * @return functions, in no particular order
     */
    Collection<InferenceFunction> functions();
}
