package io.memdoctor.overview;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.memdoctor.alerts.Alert;
import io.memdoctor.cluster.Capacity;
import io.memdoctor.cluster.ClusterSummary;
import io.memdoctor.cluster.NodeState;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.snapshots.FragmentationLevel;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.ServerIdentity;
import io.memdoctor.snapshots.Snapshot;

/**
 * What a card on the overview shows, also the JSON of {@code GET /api/overview}. Values come from the newest
 * successful sample, so a down instance still shows what it looked like last.
 *
 * @param id instance id
 * @param name display name
 * @param url redacted URL
 * @param status OK, UNREACHABLE, ERROR or PENDING
 * @param downSince start of the current outage
 * @param reason why the newest sample failed
 * @param lastSampleAt time of the newest sample
 * @param valuesAt time of the sample the values come from
 * @param usedMemory used_memory
 * @param maxmemory maxmemory (0: no limit)
 * @param totalSystemMemory total_system_memory
 * @param memoryLimit the memory limit declared for the instance (its container's), {@code null} when none is
 * @param usedMemoryRss used_memory_rss
 * @param memFragmentationRatio mem_fragmentation_ratio
 * @param allocatorWasteBytes allocator_frag_bytes + allocator_rss_bytes, {@code null} when not reported
 * @param keys keys over all databases
 * @param expires keys with a TTL over all databases
 * @param maxmemoryPolicy maxmemory_policy
 * @param persistenceActive whether a BGSAVE or AOF rewrite was running
 * @param server the server as people name it ("Redis 7.4.1", "Valkey 8.0.1"), see {@link ServerIdentity}
 * @param tags the instance's tags, sorted
 * @param attention the worst reason to look at it: DOWN, FULL, ALERT or NONE
 * @param fullIn the forecast's short text ("full in 3 h 20 min", "at its maxmemory ceiling") when under a day
 * @param firing the firing alerts, most severe first
 * @param cluster for a Redis Cluster, its nodes and shards at a glance (the figures above are then totals over its
 *     primaries); {@code null} for a server
 */
public record InstanceCard(String id, String name, String url, String status, Instant downSince, String reason,
        Instant lastSampleAt, Instant valuesAt, Long usedMemory, Long maxmemory, Long totalSystemMemory,
        Long memoryLimit, Long usedMemoryRss, Double memFragmentationRatio, Long allocatorWasteBytes, Long keys, Long expires,
        String maxmemoryPolicy, boolean persistenceActive, String server, List<String> tags, Attention attention, String fullIn,
        List<Alert> firing, ClusterCard cluster) {

    /** A card without tags, forecast or alerts: its attention from status and memory alone. */
    static InstanceCard of(Instance instance, InstanceStatus status, Snapshot latestOk) {
        return of(instance, status, latestOk, List.of(), null, List.of());
    }

    static InstanceCard of(Instance instance, InstanceStatus status, Snapshot latestOk, List<String> tags,
            String fullIn, List<Alert> firing) {
        Snapshot s = latestOk;
        Long used = s == null ? null : s.getLong(Metric.USED_MEMORY);
        Attention attention = attention(status.state(), MemoryCeiling.of(s, instance.memoryLimit()).fraction(used),
                fullIn, firing);
        return new InstanceCard(instance.id().value(), instance.name(), instance.url().redacted(), status.state(),
                status.downSince(), status.reason(), status.lastSampleAt(), s == null ? null : s.timestamp(),
                s == null ? null : s.getLong(Metric.USED_MEMORY), s == null ? null : s.getLong(Metric.MAXMEMORY),
                s == null ? null : s.getLong(Metric.TOTAL_SYSTEM_MEMORY), instance.memoryLimit(),
                s == null ? null : s.getLong(Metric.USED_MEMORY_RSS),
                s == null ? null : s.getDouble(Metric.MEM_FRAGMENTATION_RATIO),
                s == null ? null : FragmentationLevel.allocatorWaste(s),
                s == null ? null : s.getLong(Metric.KEYS), s == null ? null : s.getLong(Metric.EXPIRES),
                s == null ? null : s.getText(Metric.MAXMEMORY_POLICY),
                s != null && (one(s, Metric.RDB_BGSAVE_IN_PROGRESS) || one(s, Metric.AOF_REWRITE_IN_PROGRESS)),
                ServerIdentity.of(s), List.copyOf(tags), attention, fullIn, List.copyOf(firing), null);
    }

    /**
     * A Redis Cluster as one card: used memory, RSS, keys and maxmemory summed over its primaries (replicas hold
     * copies), down when a node does not answer, full when its fullest shard is.
     */
    static InstanceCard ofCluster(Instance instance, ClusterSummary summary, List<String> tags, List<Alert> firing) {
        List<NodeState> primaries = summary.primaries();
        long failing = summary.nodes().stream().filter(n -> !n.up() && !"PENDING".equals(n.status().state()))
                .count();
        boolean pending = summary.nodes().isEmpty()
                || summary.nodes().stream().allMatch(n -> "PENDING".equals(n.status().state()));
        String state = failing > 0 ? (summary.nodesUp() == 0 ? "UNREACHABLE" : "ERROR") : pending ? "PENDING" : "OK";
        String reason = failing > 0 ? failing + " of " + summary.nodes().size() + " nodes do not answer" : null;
        Instant valuesAt = summary.nodes().stream().filter(n -> n.latest() != null).map(n -> n.latest().timestamp())
                .max(Instant::compareTo).orElse(null);
        Instant lastSampleAt = summary.nodes().stream().map(n -> n.status().lastSampleAt()).filter(t -> t != null)
                .max(Instant::compareTo).orElse(null);
        Instant downSince = summary.nodes().stream().map(n -> n.status().downSince()).filter(t -> t != null)
                .min(Instant::compareTo).orElse(null);
        Long used = summary.usedMemory();
        Long rss = sum(primaries.stream().map(NodeState::usedMemoryRss).toList());
        Long max = summary.maxmemory();
        Long expires = sum(primaries.stream().map(n -> n.latest() == null ? null : n.latest().getLong(Metric.EXPIRES))
                .toList());
        List<String> policies = summary.nodes().stream().map(NodeState::policy).filter(p -> p != null).distinct()
                .toList();
        NodeState fullest = summary.fullest();
        Double fullestFill = fullest == null ? null : fullest.fill();
        Capacity capacity = summary.capacity();
        ClusterCard card = new ClusterCard(summary.nodesUp(), summary.nodes().size(), primaries.size(),
                fullest == null ? null : fullest.node().address(), fullestFill,
                fullest == null ? null : fullest.ceiling().shortLabel(), summary.imbalance().usedRatio(),
                (int) summary.findings().stream().filter(f -> f.actionable()).count(),
                capacity == null ? null : capacity.bytes(), capacity == null ? null : capacity.code(),
                capacity == null ? null : capacity.label());
        Attention attention = attention(state, fullestFill, null, firing);
        Snapshot any = summary.nodes().stream().map(NodeState::latest).filter(n -> n != null).findFirst().orElse(null);
        return new InstanceCard(instance.id().value(), instance.name(), instance.url().redacted(), state, downSince,
                reason, lastSampleAt, valuesAt, used, max == null ? 0L : max, null, null, rss,
                used == null || rss == null || used == 0 ? null : rss / (double) used, null,
                summary.keys(), expires, policies.size() == 1 ? policies.get(0) : policies.isEmpty() ? null : "mixed",
                false, ServerIdentity.of(any), List.copyOf(tags), attention, null, List.copyOf(firing), card);
    }

    private static Long sum(List<Long> values) {
        List<Long> known = values.stream().filter(v -> v != null).toList();
        return known.isEmpty() ? null : known.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * What a cluster's card adds.
     *
     * @param nodesUp nodes whose newest sample is OK
     * @param nodes nodes in the topology
     * @param primaries primaries (shards)
     * @param fullestShard the primary nearest its ceiling (maxmemory or declared memory limit), else the largest
     * @param fullestFill its used_memory over that ceiling, {@code null} without maxmemory or a declared limit
     * @param fullestCeiling which ceiling: "maxmemory", "memory limit", "host memory"
     * @param imbalance largest / mean used_memory of the primaries
     * @param findings checks across shards that need action
     * @param capacity what the primaries can hold: each one's maxmemory or declared memory limit (the smaller)
     *     summed, {@code null} when one has neither
     * @param capacityKind {@code maxmemory}, {@code memory-limit} or {@code mixed}
     * @param capacityLabel as the card names it: "maxmemory", "memory limit, declared"
     */
    public record ClusterCard(long nodesUp, int nodes, int primaries, String fullestShard, Double fullestFill,
            String fullestCeiling, Double imbalance, int findings, Long capacity, String capacityKind,
            String capacityLabel) {
    }

    private static Attention attention(String state, Double usedFraction, String fullIn, List<Alert> firing) {
        if ("UNREACHABLE".equals(state) || "ERROR".equals(state)) {
            return Attention.DOWN;
        }
        if (fullIn != null || usedFraction != null && usedFraction >= Attention.NEAR_FULL) {
            return Attention.FULL;
        }
        if (firing.stream().anyMatch(alert -> !alert.silenced())) {
            return Attention.ALERT;
        }
        return Attention.NONE;
    }

    /** This card with a forecast made after it was built. */
    InstanceCard withFullIn(String text) {
        return new InstanceCard(id, name, url, status, downSince, reason, lastSampleAt, valuesAt, usedMemory, maxmemory,
                totalSystemMemory, memoryLimit, usedMemoryRss, memFragmentationRatio, allocatorWasteBytes, keys, expires,
                maxmemoryPolicy, persistenceActive, server, tags, attention(status, usedFraction(), text, firing), text, firing,
                cluster);
    }

    /** used_memory over the ceiling the bar is drawn against, {@code null} when unknown. */
    public Double usedFraction() {
        return ceiling().fraction(usedMemory);
    }

    /** used_memory in whole percent of the ceiling, {@code null} when unknown. */
    public Long percentOfLimit() {
        Double fraction = usedFraction();
        return fraction == null ? null : Math.round(fraction * 100);
    }

    private static boolean one(Snapshot snapshot, Metric metric) {
        Long value = snapshot.getLong(metric);
        return value != null && value > 0;
    }

    /**
     * What the bar is drawn against: the smaller of maxmemory and the declared memory limit, else the host's memory
     * (see {@link MemoryCeiling}); for a cluster, its primaries' capacity ({@link ClusterCard#capacity()}).
     */
    public MemoryCeiling ceiling() {
        if (cluster != null) {
            // the primaries' capacity; a sum of declared limits (some maybe with maxmemory) reads as memory-limit
            return cluster.capacity() == null ? MemoryCeiling.NONE : new MemoryCeiling(cluster.capacity(),
                    "maxmemory".equals(cluster.capacityKind()) ? MemoryCeiling.Kind.MAXMEMORY
                            : MemoryCeiling.Kind.MEMORY_LIMIT);
        }
        return MemoryCeiling.of(maxmemory, memoryLimit, totalSystemMemory);
    }

    /** The ceiling's figure in the JSON: {@code maxmemory}, {@code memory-limit}, {@code system} or {@code none}. */
    @JsonProperty("ceiling")
    public String ceilingCode() {
        return ceiling().code();
    }

    public boolean hasMaxmemory() {
        return maxmemory != null && maxmemory > 0;
    }

    /** How alarming the fragmentation ratio is (see {@link FragmentationLevel}). */
    public FragmentationLevel fragmentation() {
        return FragmentationLevel.shown(memFragmentationRatio, usedMemory, usedMemoryRss, allocatorWasteBytes);
    }
}
