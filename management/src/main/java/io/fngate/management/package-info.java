/**
 * Management API: {@link io.fngate.management.ManagementApi}, to register on the admin socket. Everything else
 * here is its implementation: routes and scopes ({@code ManagementService}), request bodies to registry drafts
 * ({@code Requests}), registry values to NVCF's JSON ({@code Views}), and the problem+json writer
 * ({@code Problems}).
 * <p>
 * Not responsible for the rules of a change (the registry decides), for keys and their checks (the auth module),
 * nor for sockets (the server module).
 */
package io.fngate.management;
