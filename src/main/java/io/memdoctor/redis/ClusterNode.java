package io.memdoctor.redis;

/**
 * One node of a Redis Cluster as a node of it describes it ({@code CLUSTER SHARDS} or {@code CLUSTER NODES}).
 *
 * @param id the node's 40-character cluster id
 * @param host the address it announces (its endpoint, else its IP)
 * @param port the port clients use (the TLS port when the cluster is reached over TLS and announces one)
 * @param primary whether it is a primary now
 * @param primaryId for a replica, the id of its primary; {@code null} for a primary
 * @param slots its slot ranges, {@code "0-5460,5462"}; {@code ""} for a replica or a primary without slots
 * @param failed whether the cluster considers it failed ({@code fail} flag, or health {@code failed})
 */
public record ClusterNode(String id, String host, int port, boolean primary, String primaryId, String slots,
        boolean failed) {

    /** {@code host:port}, with an IPv6 host in brackets. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
