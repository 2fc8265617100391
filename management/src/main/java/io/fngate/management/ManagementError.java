package io.fngate.management;

import io.fngate.registry.RegistryException;

/**
 * Every error the management API answers, with its HTTP status and RFC 9457 problem type
 * ({@code urn:fngate:problem-details:<label>}). Labels shared with invocation's catalogue mean the same there.
 */
enum ManagementError {
    INVALID_REQUEST(400, "invalid-request", "Invalid request"),
    UNAUTHORIZED(401, "unauthorized", "Missing or invalid credentials"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    FUNCTION_NOT_FOUND(404, "function-not-found", "Function not found"),
    VERSION_NOT_FOUND(404, "version-not-found", "Function version not found"),
    DEPLOYMENT_NOT_FOUND(404, "deployment-not-found", "Deployment not found"),
    INSTANCE_NOT_FOUND(404, "instance-not-found", "Instance not found"),
    KEY_NOT_FOUND(404, "key-not-found", "API key not found"),
    ROUTE_NOT_FOUND(404, "route-not-found", "No such management endpoint"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    READ_ONLY(409, "read-only-function", "Function is read-only"),
    VERSION_DEPLOYED(409, "version-deployed", "Version is deployed"),
    DEPLOYMENT_EXISTS(409, "deployment-exists", "Deployment exists"),
    NOT_DEPLOYED(409, "version-not-deployed", "Version is not deployed"),
    INSTANCE_CONFLICT(409, "instance-conflict", "Instance conflict"),
    KEY_READ_ONLY(409, "read-only-key", "API key is read-only"),
    BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    STORE_FAILURE(500, "store-failure", "Change not saved"),
    INTERNAL(500, "internal-error", "Internal error");

    private final int status;
    private final String label;
    private final String title;

    ManagementError(int status, String label, String title) {
        this.status = status;
        this.label = label;
        this.title = title;
    }

    /** The answer to a change or lookup the registry refused. */
    static ManagementError of(RegistryException.Kind kind) {
        return switch (kind) {
            case FUNCTION_NOT_FOUND -> FUNCTION_NOT_FOUND;
            case VERSION_NOT_FOUND -> VERSION_NOT_FOUND;
            case DEPLOYMENT_NOT_FOUND -> DEPLOYMENT_NOT_FOUND;
            case INSTANCE_NOT_FOUND -> INSTANCE_NOT_FOUND;
            case READ_ONLY -> READ_ONLY;
            case VERSION_DEPLOYED -> VERSION_DEPLOYED;
            case DEPLOYMENT_EXISTS -> DEPLOYMENT_EXISTS;
            case NOT_DEPLOYED -> NOT_DEPLOYED;
            case INSTANCE_CONFLICT -> INSTANCE_CONFLICT;
            case STORE_FAILURE -> STORE_FAILURE;
        };
    }

    int status() {
        return status;
    }

    String label() {
        return label;
    }

    String title() {
        return title;
    }

    String type() {
        return "urn:fngate:problem-details:" + label;
    }
}
