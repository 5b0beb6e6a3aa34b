package io.memdoctor.cluster;

import java.util.List;
import java.util.Objects;

import io.memdoctor.instances.InstanceId;

/**
 * What an instance is made of: a cluster's nodes, or the one server of a standalone instance. The answer of
 * {@code GET /api/instances/{id}/topology}, and what the cluster-wide scan fans out over.
 *
 * @param kind CLUSTER for a cluster, STANDALONE for a server (a node of a cluster asked on its own is one too)
 * @param nodes primaries in slot order, each followed by its replicas
 */
public record ClusterTopology(Kind kind, List<Node> nodes) {

    public ClusterTopology {
        Objects.requireNonNull(kind, "kind");
        nodes = List.copyOf(nodes);
    }

    /** The primaries. */
    public List<Node> primaries() {
        return nodes.stream().filter(n -> n.role() == Role.PRIMARY).toList();
    }

    /** The replicas of the primary at this address. */
    public List<Node> replicasOf(String primaryAddress) {
        return nodes.stream().filter(n -> primaryAddress.equals(n.primary())).toList();
    }

    /** Cluster or single server. */
    public enum Kind {
        CLUSTER, STANDALONE
    }

    /** A node's role now. */
    public enum Role {
        PRIMARY, REPLICA
    }

    /**
     * One server.
     *
     * @param address {@code host:port} as the cluster announces it
     * @param role PRIMARY or REPLICA
     * @param primary for a replica, its primary's {@code host:port}; {@code null} for a primary
     * @param slots the slot ranges a primary serves, {@code "0-5460,..."}; {@code ""} for a replica
     * @param instanceId the instance under which the node is sampled (its own snapshots, checks, diagnosis)
     */
    public record Node(String address, Role role, String primary, String slots, InstanceId instanceId) {

        public Node {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(instanceId, "instanceId");
            slots = slots == null ? "" : slots;
        }

        /** How many slots the ranges cover. */
        public int slotCount() {
            return Slots.count(slots);
        }
    }
}
