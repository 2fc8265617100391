package io.fngate.routing;

/**
 * What a request names, before the registry is asked: an {@link InvocationTarget}, or a {@link RouteFailure}
 * ({@link RouteFailure.Kind#NO_TARGET} or {@link RouteFailure.Kind#MALFORMED_TARGET}). Lets the caller check who
 * may invoke the function before anything about the function is revealed.
 */
public sealed interface ParsedTarget permits InvocationTarget, RouteFailure {
}
