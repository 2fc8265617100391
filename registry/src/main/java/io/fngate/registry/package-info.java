/**
 * Function registry API: immutable routing values ({@link io.fngate.registry.InferenceFunction},
 * {@link io.fngate.registry.FunctionVersion}, {@link io.fngate.registry.Instance}), the
 * {@link io.fngate.registry.Registry} that looks them up, and {@link io.fngate.registry.FunctionRegistry}: the
 * managed registry with its store ({@link io.fngate.registry.RegistryStore}), active health checks and the
 * NVCF-shaped management API.
 * <p>
 * Not responsible for choosing a version or an instance for a request (that is routing), for concurrency
 * limits, nor for sockets: the server module mounts the management API on its admin socket.
 */
package io.fngate.registry;
