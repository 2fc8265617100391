/**
 * Routing API: {@link io.fngate.routing.Router} resolves an {@link io.fngate.routing.InvocationTarget}
 * parsed from the request into a {@link io.fngate.routing.Route} or a {@link io.fngate.routing.RouteFailure}.
 * <p>
 * Not responsible for HTTP status codes or error bodies (the invocation module maps failure kinds), nor
 * for deciding instance health (the registry only lists instances that may serve).
 */
package io.fngate.routing;
