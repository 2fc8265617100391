package io.fngate.management;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.fngate.auth.ApiKeys;
import io.fngate.auth.Scope;
import io.fngate.registry.FunctionRegistry;
import io.helidon.webserver.http.HttpRules;

/**
 * The management API of one gateway: NVCF's function, version and deployment routes under {@code /v2/nvcf}, with
 * fngate's instance registration, over a {@link FunctionRegistry}; every route needs an API key with its scope
 * ({@link #routes()}), checked by the same {@link ApiKeys} the invocation socket uses.
 * <p>
 * Meant for the admin socket: {@link #register} adds the routes to its routing. Not responsible for the rules of
 * a change (the registry), nor for what a key is (the auth module).
 */
public final class ManagementApi {
    private final ManagementService service;

    private ManagementApi(ManagementService service) {
        this.service = service;
    }

    /**
     * @param registry the registry the API changes and reads
     * @param keys     the keys that may call it (the same instance the invocation socket uses)
     * @return the API
     */
    public static ManagementApi create(FunctionRegistry registry, ApiKeys keys) {
        return new ManagementApi(new ManagementService(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(keys, "keys")));
    }

    /**
     * Adds the API to a routing: everything under {@code /v2/nvcf}, and its OpenAPI document at
     * {@code GET /openapi.yaml} (no key needed: it describes the API, it holds nothing of the gateway's).
     *
     * @param rules the admin socket's routing
     */
    public void register(HttpRules rules) {
        rules.get(OpenApi.PATH, OpenApi::send);
        rules.register(ManagementService.PREFIX, service);
    }

    /**
     * @return the OpenAPI 3.1 document of the management and invocation API, as served at {@code /openapi.yaml}
     */
    public static String openApi() {
        return OpenApi.text();
    }

    /**
     * @return every route the API serves, with the scopes that may call it, in routing order
     */
    public List<Route> routes() {
        return service.routes();
    }

    /**
     * One route of the API.
     *
     * @param method HTTP method
     * @param path   full path template ({@code /v2/nvcf/functions/{functionId}/versions})
     * @param scopes a key needs one of these
     */
    public record Route(String method, String path, Set<Scope> scopes) {

        /**
         * Checks the parts and copies the set.
         */
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            scopes = Set.copyOf(scopes);
        }
    }
}
