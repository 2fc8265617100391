package io.fngate.routing;

/**
 * The outcome of routing a request: a {@link Route} or a {@link RouteFailure}.
 */
public sealed interface RouteResult permits Route, RouteFailure {
}
