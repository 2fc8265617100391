package io.fngate.auth;

/**
 * The outcome of checking a request's credentials: a {@link Caller} or a {@link Rejection}.
 */
public sealed interface AuthResult permits Caller, Rejection {
}
