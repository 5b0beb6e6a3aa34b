package io.memdoctor.cluster;

import java.util.List;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.instances.Instance;

/**
 * A cluster at a glance: its nodes with their newest samples, the totals over the primaries (replicas hold copies),
 * the shard imbalance and the checks across shards.
 *
 * @param cluster the cluster instance
 * @param nodes every node, primaries in slot order each followed by its replicas
 * @param imbalance how unevenly the primaries are loaded
 * @param findings the checks across shards, most urgent first
 * @param events the newest topology changes, newest first
 */
public record ClusterSummary(Instance cluster, List<NodeState> nodes, Imbalance imbalance, List<CheckResult> findings,
        List<ClusterEvent> events) {

    public List<NodeState> primaries() {
        return nodes.stream().filter(NodeState::primary).toList();
    }

    public long nodesUp() {
        return nodes.stream().filter(NodeState::up).count();
    }

    /** used_memory summed over the primaries that have a sample; {@code null} when none has. */
    public Long usedMemory() {
        return sum(primaries().stream().map(NodeState::usedMemory).toList());
    }

    /**
     * maxmemory summed over the primaries; {@code null} when a primary has no maxmemory or no sample. What the
     * primaries can hold is {@link #capacity()}, which counts declared memory limits too.
     */
    public Long maxmemory() {
        List<Long> limits = primaries().stream().map(NodeState::maxmemory).toList();
        return limits.isEmpty() || limits.stream().anyMatch(m -> m == null || m <= 0) ? null : sum(limits);
    }

    /**
     * What the primaries can hold together: each one's maxmemory or declared memory limit, whichever is smaller;
     * {@code null} when a primary has neither or no sample.
     */
    public Capacity capacity() {
        return Capacity.of(primaries());
    }

    public Long keys() {
        return sum(primaries().stream().map(NodeState::keys).toList());
    }

    /**
     * The primary nearest its ceiling, maxmemory or declared memory limit (or with the most used memory when there
     * are no limits).
     */
    public NodeState fullest() {
        return imbalance.fullest();
    }

    private static Long sum(List<Long> values) {
        List<Long> known = values.stream().filter(v -> v != null).toList();
        return known.isEmpty() ? null : known.stream().mapToLong(Long::longValue).sum();
    }
}
