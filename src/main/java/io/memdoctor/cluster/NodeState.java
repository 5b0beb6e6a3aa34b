package io.memdoctor.cluster;

import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/**
 * A node of a cluster with its newest sample: what the node table, the totals and the shard checks read.
 *
 * @param node its place in the topology
 * @param name the instance's display name
 * @param status OK, UNREACHABLE, ERROR or PENDING (from its samples)
 * @param latest its newest successful sample, {@code null} before the first
 * @param memoryLimit the memory limit declared for the node (its container's: the cluster's, given to each node),
 *     {@code null} for none
 */
public record NodeState(ClusterTopology.Node node, String name, InstanceStatus status, Snapshot latest,
        Long memoryLimit) {

    public boolean primary() {
        return node.role() == ClusterTopology.Role.PRIMARY;
    }

    public boolean up() {
        return "OK".equals(status.state());
    }

    public Long usedMemory() {
        return value(Metric.USED_MEMORY);
    }

    public Long usedMemoryRss() {
        return value(Metric.USED_MEMORY_RSS);
    }

    /** maxmemory, {@code null} when not known; 0 means no limit. */
    public Long maxmemory() {
        return value(Metric.MAXMEMORY);
    }

    public Long keys() {
        return value(Metric.KEYS);
    }

    public Long clusterLinks() {
        return value(Metric.MEM_CLUSTER_LINKS);
    }

    public String policy() {
        return latest == null ? null : latest.getText(Metric.MAXMEMORY_POLICY);
    }

    /**
     * What its used memory is measured against: the smaller of maxmemory (when set) and the declared memory limit,
     * else the host's memory (see {@link MemoryCeiling}).
     */
    public MemoryCeiling ceiling() {
        return MemoryCeiling.of(latest, memoryLimit);
    }

    /** Whether it has a limit of its own: maxmemory or a declared memory limit (the host's memory is none). */
    public boolean limited() {
        MemoryCeiling ceiling = ceiling();
        return ceiling.maxmemory() || ceiling.declared();
    }

    /**
     * used_memory over its ceiling when that is maxmemory or the declared memory limit; {@code null} without either
     * (the host's memory is no limit here) or without a sample.
     */
    public Double fill() {
        return limited() ? ceiling().fraction(usedMemory()) : null;
    }

    private Long value(Metric metric) {
        return latest == null ? null : latest.getLong(metric);
    }
}
