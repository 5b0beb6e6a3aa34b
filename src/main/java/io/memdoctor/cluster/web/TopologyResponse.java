package io.memdoctor.cluster.web;

import java.util.List;

import io.memdoctor.cluster.ClusterTopology;

/**
 * Body of {@code GET /api/instances/{id}/topology}: the contract other tools read (issue 16).
 *
 * @param kind CLUSTER or STANDALONE
 * @param nodes primaries in slot order, each followed by its replicas
 */
record TopologyResponse(String kind, List<NodeResponse> nodes) {

    static TopologyResponse of(ClusterTopology topology) {
        return new TopologyResponse(topology.kind().name(), topology.nodes().stream()
                .map(n -> new NodeResponse(n.address(), n.role().name(), n.primary(), n.slots(),
                        n.instanceId().value()))
                .toList());
    }

    /**
     * One node.
     *
     * @param address {@code host:port} as the cluster announces it
     * @param role PRIMARY or REPLICA
     * @param primary a replica's primary ({@code host:port}), {@code null} for a primary
     * @param slots {@code "0-5460,..."}, {@code ""} for a replica
     * @param instanceId the instance the node is sampled as: {@code /api/instances/{instanceId}/...}
     */
    record NodeResponse(String address, String role, String primary, String slots, String instanceId) {
    }
}
