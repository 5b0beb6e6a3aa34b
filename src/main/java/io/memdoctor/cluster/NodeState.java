package io.memdoctor.cluster;

import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/**
 * A node of a cluster with its newest sample: what the node table, the totals and the shard checks read.
 *
 * @param node its place in the topology
 * @param name the instance's display name
 * @param status OK, UNREACHABLE, ERROR or PENDING (from its samples)
 * @param latest its newest successful sample, {@code null} before the first
 */
public record NodeState(ClusterTopology.Node node, String name, InstanceStatus status, Snapshot latest) {

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

    /** used_memory / maxmemory, {@code null} without a limit or a sample. */
    public Double fill() {
        Long used = usedMemory();
        Long max = maxmemory();
        return used == null || max == null || max <= 0 ? null : used / (double) max;
    }

    private Long value(Metric metric) {
        return latest == null ? null : latest.getLong(metric);
    }
}
