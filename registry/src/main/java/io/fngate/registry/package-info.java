/**
 * Function registry API: immutable values ({@link io.fngate.registry.InferenceFunction},
 * {@link io.fngate.registry.FunctionVersion}, {@link io.fngate.registry.Instance}) and the
 * {@link io.fngate.registry.Registry} that looks them up.
 * <p>
 * Not responsible for choosing a version or an instance for a request (that is routing), nor for
 * checking instance health (a later registry feature).
 */
package io.fngate.registry;
