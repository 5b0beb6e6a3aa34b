package io.memdoctor.instances;

import java.util.Optional;

/**
 * Tells whether a server is a node of a Redis Cluster, so that an instance added from one of its URLs becomes the
 * cluster (the nodes then become instances of their own). Implemented in {@code cluster}; without it every instance
 * is a server.
 */
public interface ClusterProbe {

    /** No probe: every instance is a server. */
    ClusterProbe NONE = instance -> false;

    /** Whether the instance's server says {@code cluster_enabled:1}; false when it cannot be asked. Never throws. */
    boolean isCluster(Instance instance);

    /**
     * The cluster already watched that this server is a node of (the same cluster added again, through the same
     * URL or another node's); empty when there is none or the server cannot be asked. Never throws.
     */
    default Optional<Instance> watchedAs(Instance instance) {
        return Optional.empty();
    }
}
