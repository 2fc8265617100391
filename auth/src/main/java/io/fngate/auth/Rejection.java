package io.fngate.auth;

/**
 * Why a request's credentials were refused: always a 401 with {@code WWW-Authenticate: Bearer}.
 */
public enum Rejection implements AuthResult {
    /** No {@code Authorization: Bearer} credentials at all. */
    MISSING,
    /** {@code Authorization} is there but is not a bearer token (Basic, an empty token). */
    MALFORMED,
    /** A bearer token that is no key (unknown, or revoked). */
    UNKNOWN
}
