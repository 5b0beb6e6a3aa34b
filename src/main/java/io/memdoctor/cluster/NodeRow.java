package io.memdoctor.cluster;

import io.memdoctor.instances.InstanceId;

/**
 * A node of a cluster as last read, as stored in {@code cluster_node}.
 *
 * @param instanceId the instance the node is sampled as
 * @param cluster the cluster's instance id
 * @param nodeId the node's cluster id (40 hex characters)
 * @param address {@code host:port}
 * @param role PRIMARY or REPLICA
 * @param primary the primary's address for a replica, else {@code null}
 * @param slots slot ranges, {@code ""} for none
 * @param failed whether the cluster marks it failed
 * @param updatedAt epoch milliseconds of the read
 */
record NodeRow(InstanceId instanceId, InstanceId cluster, String nodeId, String address, ClusterTopology.Role role,
        String primary, String slots, boolean failed, long updatedAt) {

    ClusterTopology.Node toNode() {
        return new ClusterTopology.Node(address, role, primary, slots, instanceId);
    }
}
