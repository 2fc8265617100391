/**
 * Auth API: {@link io.fngate.auth.ApiKeys} (the keys and their checks), {@link io.fngate.auth.Scope},
 * {@link io.fngate.auth.Caller} (an authenticated key) and {@link io.fngate.auth.KeyStore} (where keys made
 * through the management API are kept).
 * <p>
 * Not responsible for HTTP: the invocation handler and the management API turn a rejection into a 401 or 403
 * problem themselves; nor for storage itself, which the caller provides.
 */
package io.fngate.auth;
