package io.memdoctor.cluster;

import java.util.Comparator;
import java.util.List;

/**
 * The diagnosis of a cluster: each node's own diagnosis over the same range, and the most serious one as the
 * cluster's verdict, naming its shard ({@code GET /api/clusters/{id}/diagnosis}).
 *
 * @param shard the address of the node whose finding is the most serious, {@code null} without nodes
 * @param severity INFO, WARNING or CRITICAL of that finding
 * @param verdict its verdict
 * @param summary "Shard host:port (primary, slots ...): " and that node's summary
 * @param nodes every node's verdict, in topology order
 */
public record ClusterDiagnosis(String shard, String severity, String verdict, String summary, List<NodeVerdict> nodes) {

    /**
     * @param address {@code host:port}
     * @param role PRIMARY or REPLICA
     * @param slots slot ranges of a primary
     * @param instanceId the node's instance ({@code /api/instances/{instanceId}/diagnosis} for all of it)
     * @param severity INFO, WARNING or CRITICAL
     * @param verdict its verdict
     * @param summary its summary
     */
    public record NodeVerdict(String address, String role, String slots, String instanceId, String severity,
            String verdict, String summary) {
    }

    static ClusterDiagnosis of(List<NodeVerdict> nodes, List<String> order) {
        NodeVerdict worst = nodes.stream().max(Comparator.comparingInt((NodeVerdict n) -> order.indexOf(n.severity()))
                .thenComparing(n -> "PRIMARY".equals(n.role()))).orElse(null);
        if (worst == null) {
            return new ClusterDiagnosis(null, "INFO", null, "No node has been registered yet.", nodes);
        }
        String where = "Shard " + worst.address() + " (" + worst.role().toLowerCase(java.util.Locale.ROOT)
                + (worst.slots().isEmpty() ? "" : ", slots " + ShardRules.shown(worst.slots())) + "): ";
        return new ClusterDiagnosis(worst.address(), worst.severity(), worst.verdict(), where + worst.summary(), nodes);
    }
}
