package io.fngate.registry;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.json.JsonObject;

/**
 * A deployment as the client asked for it ({@link FunctionRegistry#deploy}): NVCF's deployment specifications,
 * each with the instances it runs on (an fngate field: fngate starts no containers).
 * <p>
 * fngate serves one set of instances per version, so several specifications add up: the version is served by the
 * instances of all of them, each URL in one specification only, and with one per-instance concurrency limit, which
 * the specifications that set one must agree on.
 *
 * @param specifications at least one
 */
public record DeploymentDraft(List<Specification> specifications) {

    /**
     * Checks that specifications agree and copies the list.
     */
    public DeploymentDraft {
        specifications = List.copyOf(specifications);
        if (specifications.isEmpty()) {
            throw new IllegalArgumentException("deploymentSpecifications: empty (expected: at least one)");
        }
        int limit = 0;
        Set<URI> seen = new HashSet<>();
        for (int k = 0; k < specifications.size(); k++) {
            Specification s = specifications.get(k);
            if (s.maxRequestConcurrency() > 0 && limit > 0 && s.maxRequestConcurrency() != limit) {
                throw new IllegalArgumentException("deploymentSpecifications[" + k + "].maxRequestConcurrency: "
                        + s.maxRequestConcurrency() + " differs from " + limit + " in an earlier specification "
                        + "(fngate applies one limit to all instances of a version)");
            }
            limit = Math.max(limit, s.maxRequestConcurrency());
            for (int i = 0; i < s.instances().size(); i++) {
                if (!seen.add(s.instances().get(i))) {
                    throw new IllegalArgumentException("deploymentSpecifications[" + k + "].instances[" + i + "]: "
                            + s.instances().get(i) + " is listed twice");
                }
            }
        }
    }

    /**
     * A deployment of one specification: instances and a limit, nothing else (fngate's own short form).
     *
     * @param maxRequestConcurrency per-instance limit; 0: the gateway's default
     * @param instances             instance URLs in normal form
     * @return the draft
     */
    public static DeploymentDraft of(int maxRequestConcurrency, List<URI> instances) {
        return new DeploymentDraft(List.of(new Specification(JsonObject.EMPTY_JSON_OBJECT, maxRequestConcurrency,
                instances)));
    }

    /**
     * The per-instance limit the specifications set; 0 when none does.
     *
     * @return the limit
     */
    public int maxRequestConcurrency() {
        return specifications.stream().mapToInt(Specification::maxRequestConcurrency).max().orElse(0);
    }

    /**
     * One deployment specification.
     *
     * @param attributes            NVCF fields kept as sent ({@link NvcfAttributes#specification})
     * @param maxRequestConcurrency requests one instance accepts at once; 0: not given
     * @param instances             instance base URLs in normal form ({@link InstanceSpec#url}), each once
     */
    public record Specification(JsonObject attributes, int maxRequestConcurrency, List<URI> instances) {

        /**
         * Checks the parts and copies the list.
         */
        public Specification {
            Objects.requireNonNull(attributes, "attributes");
            instances = List.copyOf(instances);
            if (!NvcfAttributes.SPECIFICATION.containsAll(attributes.keySet())) {
                throw new IllegalArgumentException("attributes: " + attributes.keySet() + " (expected: some of "
                        + NvcfAttributes.SPECIFICATION + ")");
            }
            if (maxRequestConcurrency < 0 || maxRequestConcurrency > FunctionVersion.MAX_REQUEST_CONCURRENCY) {
                throw new IllegalArgumentException("maxRequestConcurrency: " + maxRequestConcurrency
                        + " (expected: 1.." + FunctionVersion.MAX_REQUEST_CONCURRENCY + ")");
            }
        }
    }
}
