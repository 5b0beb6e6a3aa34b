package io.memdoctor.cluster.web;

import java.time.Instant;
import java.util.List;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.cluster.Capacity;
import io.memdoctor.cluster.ClusterEvent;
import io.memdoctor.cluster.ClusterSummary;
import io.memdoctor.cluster.Imbalance;
import io.memdoctor.cluster.NodeState;

/**
 * Body of {@code GET /api/clusters/{id}}: what the cluster page shows.
 *
 * @param id the cluster's instance id
 * @param name display name
 * @param url the seed URL, redacted
 * @param nodesUp nodes whose newest sample is OK
 * @param nodesTotal nodes in the topology
 * @param usedMemory used_memory summed over the primaries (replicas hold copies)
 * @param maxmemory maxmemory summed over the primaries, {@code null} when one has no maxmemory
 * @param capacity what the primaries can hold: each one's ceiling (the smaller of maxmemory and the memory limit
 *     declared for its container) summed, {@code null} when one has neither
 * @param capacityKind which figures {@code capacity} sums: {@code maxmemory}, {@code memory-limit} or {@code mixed};
 *     {@code null} with it
 * @param keys keys summed over the primaries
 * @param fullestShard the primary nearest its ceiling (else the largest)
 * @param fullestFill its used_memory over its ceiling, {@code null} without maxmemory or a declared limit
 * @param imbalance how unevenly the primaries are loaded
 * @param nodes every node, primaries in slot order each followed by its replicas
 * @param findings the checks across shards, most urgent first
 * @param events topology changes (failovers, nodes added or removed, reshards), newest first
 */
record ClusterResponse(String id, String name, String url, long nodesUp, int nodesTotal, Long usedMemory,
        Long maxmemory, Long capacity, String capacityKind, Long keys, String fullestShard, Double fullestFill,
        ImbalanceResponse imbalance, List<NodeResponse> nodes, List<CheckResult> findings, List<EventResponse> events) {

    static ClusterResponse of(ClusterSummary s) {
        Capacity capacity = s.capacity();
        return new ClusterResponse(s.cluster().id().value(), s.cluster().name(), s.cluster().url().redacted(),
                s.nodesUp(), s.nodes().size(), s.usedMemory(), s.maxmemory(),
                capacity == null ? null : capacity.bytes(), capacity == null ? null : capacity.code(), s.keys(),
                s.fullest() == null ? null : s.fullest().node().address(),
                s.fullest() == null ? null : s.fullest().fill(), ImbalanceResponse.of(s.imbalance()),
                s.nodes().stream().map(NodeResponse::of).toList(), s.findings(),
                s.events().stream().map(EventResponse::of).toList());
    }

    /**
     * @param largestShard the primary with the most used memory
     * @param meanUsedMemory mean used_memory of the primaries
     * @param usedRatio largest / mean used_memory (1.0: even)
     * @param keysRatio largest / mean key count
     * @param minSlots fewest slots of a primary with slots
     * @param maxSlots most slots of a primary
     */
    record ImbalanceResponse(String largestShard, Double meanUsedMemory, Double usedRatio, Double keysRatio,
            int minSlots, int maxSlots) {

        static ImbalanceResponse of(Imbalance i) {
            return new ImbalanceResponse(i.largest() == null ? null : i.largest().node().address(), i.meanUsed(),
                    i.usedRatio(), i.keysRatio(), i.minSlots(), i.maxSlots());
        }
    }

    /**
     * @param address {@code host:port}
     * @param role PRIMARY or REPLICA
     * @param primary a replica's primary
     * @param slots slot ranges
     * @param slotCount how many slots
     * @param instanceId the instance it is sampled as
     * @param name its display name
     * @param status OK, UNREACHABLE, ERROR or PENDING
     * @param usedMemory used_memory of its newest sample
     * @param usedMemoryRss used_memory_rss
     * @param maxmemory maxmemory (0: no limit)
     * @param memoryLimit the memory limit declared for it (its container's), {@code null} for none
     * @param ceiling what its used memory is measured against: {@code maxmemory}, {@code memory-limit},
     *     {@code system} (the host's memory) or {@code none}
     * @param fill used_memory over its ceiling when that is maxmemory or the declared limit, else {@code null}
     * @param keys keys
     * @param maxmemoryPolicy maxmemory_policy
     */
    record NodeResponse(String address, String role, String primary, String slots, int slotCount, String instanceId,
            String name, String status, Long usedMemory, Long usedMemoryRss, Long maxmemory, Long memoryLimit,
            String ceiling, Double fill, Long keys, String maxmemoryPolicy) {

        static NodeResponse of(NodeState n) {
            return new NodeResponse(n.node().address(), n.node().role().name(), n.node().primary(), n.node().slots(),
                    n.node().slotCount(), n.node().instanceId().value(), n.name(), n.status().state(), n.usedMemory(),
                    n.usedMemoryRss(), n.maxmemory(), n.memoryLimit(), n.ceiling().code(), n.fill(), n.keys(),
                    n.policy());
        }
    }

    /**
     * @param at when the dashboard saw it
     * @param kind FAILOVER, NODE_ADDED, NODE_REMOVED, RESHARD, NODE_FAILED, NODE_RECOVERED, NODE_REFUSED, DISCOVERED
     * @param node the node's address, {@code null} for the whole cluster
     * @param detail one sentence
     */
    record EventResponse(Instant at, String kind, String node, String detail) {

        static EventResponse of(ClusterEvent e) {
            return new EventResponse(e.at(), e.kind().name(), e.node(), e.detail());
        }
    }
}
