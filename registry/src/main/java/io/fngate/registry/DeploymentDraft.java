package io.fngate.registry;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A deployment as the client asked for it ({@link FunctionRegistry#deploy}).
 *
 * @param maxRequestConcurrency requests one instance accepts at once; 0: the gateway's default
 * @param instances             instance base URLs in normal form ({@link InstanceSpec#url}), each once
 */
public record DeploymentDraft(int maxRequestConcurrency, List<URI> instances) {

    /**
     * Checks the parts and copies the list.
     */
    public DeploymentDraft {
        instances = List.copyOf(instances);
        if (maxRequestConcurrency < 0 || maxRequestConcurrency > FunctionVersion.MAX_REQUEST_CONCURRENCY) {
            throw new IllegalArgumentException("maxRequestConcurrency: " + maxRequestConcurrency + " (expected: 1.."
                    + FunctionVersion.MAX_REQUEST_CONCURRENCY + ")");
        }
        Set<URI> seen = new HashSet<>();
        for (URI url : instances) {
            if (!seen.add(url)) {
                throw new IllegalArgumentException("instances: " + url + " is listed twice");
            }
        }
    }
}
