/**
 * Function registry API: immutable routing values ({@link io.fngate.registry.InferenceFunction},
 * {@link io.fngate.registry.FunctionVersion}, {@link io.fngate.registry.Instance}), the
 * {@link io.fngate.registry.Registry} that looks them up, and {@link io.fngate.registry.FunctionRegistry}: the
 * managed registry with its store ({@link io.fngate.registry.RegistryStore}), active health checks, change methods
 * taking drafts ({@link io.fngate.registry.FunctionDraft}, {@link io.fngate.registry.DeploymentDraft}, ...) and
 * read snapshots ({@link io.fngate.registry.RegistrySnapshot}) of the stored values
 * ({@link io.fngate.registry.FunctionSpec}, {@link io.fngate.registry.VersionSpec}, ...).
 * <p>
 * Not responsible for choosing a version or an instance for a request (that is routing), for concurrency
 * limits, for HTTP (the management module maps its API onto the change methods and
 * {@link io.fngate.registry.RegistryException}), nor for sockets.
 */
package io.fngate.registry;
