package io.memdoctor.cluster;

import java.time.Instant;

/**
 * A change in a cluster's topology, for the cluster page's timeline.
 *
 * @param at when the dashboard saw it
 * @param kind what happened
 * @param node the node's {@code host:port}, {@code null} for the whole cluster
 * @param detail one sentence
 */
public record ClusterEvent(Instant at, Kind kind, String node, String detail) {

    /** What happened. */
    public enum Kind {
        /** The cluster was added and its nodes registered. */
        DISCOVERED,
        /** A replica became primary. */
        FAILOVER,
        /** A node joined. */
        NODE_ADDED,
        /** A node left the cluster (CLUSTER FORGET, or it is no longer announced). */
        NODE_REMOVED,
        /** A primary's slots changed. */
        RESHARD,
        /** The cluster marks a node failed. */
        NODE_FAILED,
        /** A failed node is back. */
        NODE_RECOVERED,
        /** A node could not be added (allowed-targets, a name taken). */
        NODE_REFUSED,
        /** No node of the cluster answered. */
        UNREACHABLE
    }
}
