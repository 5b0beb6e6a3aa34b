package io.memdoctor.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckSeverity;
import io.memdoctor.checks.LatestScanSummary;
import io.memdoctor.format.Units;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;

/**
 * The checks that only make sense across the shards of a cluster: a primary holding much more than the others (with
 * its biggest key when a scan of it exists), one primary near its ceiling (maxmemory, or the memory limit declared for
 * its container) while the others are not, a replica whose dataset drifts from its primary's, maxmemory, policy or
 * declared memory limit that differ between nodes, cluster bus memory when it matters, and nodes that do not answer.
 * Pure: reads the nodes' newest samples and declared limits only.
 */
final class ShardRules {

    /** A primary this far above the mean used memory is imbalanced. */
    static final double IMBALANCE = 1.30;
    /** ...and at least this many bytes above it (tiny, empty clusters vary by a few hundred KB). */
    static final long IMBALANCE_MIN_BYTES = Units.MB;
    static final double NEAR_FULL = 0.90;
    static final double OTHERS_ROOMY = 0.70;
    static final double DRIFT = 0.20;
    static final long DRIFT_MIN_BYTES = Units.MB;
    static final double LINKS_SHARE = 0.10;
    static final long LINKS_MIN_BYTES = 64 * Units.MB;

    private ShardRules() {
    }

    /**
     * @param cluster the cluster's id: its newest cluster-wide scan is where the biggest key of a shard is looked for
     *     first (each key there carries its node), then the newest scan of the shard's primary alone
     */
    static List<CheckResult> check(List<NodeState> nodes, Imbalance imbalance,
            Function<InstanceId, Optional<LatestScanSummary.ScanFindings>> scans, InstanceId cluster) {
        List<CheckResult> out = new ArrayList<>();
        List<NodeState> primaries = nodes.stream().filter(NodeState::primary).toList();
        out.add(down(nodes));
        out.add(imbalance(nodes, primaries, imbalance, scans, cluster));
        nearFull(primaries).ifPresent(out::add);
        out.add(drift(nodes));
        out.add(differing(nodes));
        links(nodes).ifPresent(out::add);
        out.removeIf(Objects::isNull);
        out.sort(Comparator.comparing(CheckResult::severity));
        return out;
    }

    private static CheckResult down(List<NodeState> nodes) {
        List<NodeState> down = nodes.stream().filter(n -> !n.up() && !"PENDING".equals(n.status().state())).toList();
        if (down.isEmpty()) {
            return new CheckResult("cluster-nodes-up", CheckSeverity.OK, "Every node answers",
                    nodes.size() + " nodes sampled.", "");
        }
        boolean primaryDown = down.stream().anyMatch(NodeState::primary);
        return new CheckResult("cluster-nodes-up", primaryDown ? CheckSeverity.CRITICAL : CheckSeverity.WARNING,
                down.size() + " of " + nodes.size() + " nodes do not answer",
                down.stream().map(n -> n.node().address() + " (" + role(n) + "): " + Objects.toString(
                        n.status().reason(), n.status().state())).collect(Collectors.joining("; ")),
                "Check the nodes' hosts and logs; CLUSTER NODES on a live node shows how the cluster sees them.");
    }

    private static CheckResult imbalance(List<NodeState> nodes, List<NodeState> primaries, Imbalance imbalance,
            Function<InstanceId, Optional<LatestScanSummary.ScanFindings>> scans, InstanceId cluster) {
        String id = "cluster-memory-imbalance";
        if (imbalance.largest() == null || imbalance.usedRatio() == null || primaries.size() < 2) {
            return new CheckResult(id, CheckSeverity.UNKNOWN, "Memory balance between primaries not known yet",
                    "Fewer than two primaries have a sample.", "");
        }
        NodeState largest = imbalance.largest();
        String perShard = primaries.stream().filter(p -> p.usedMemory() != null)
                .map(p -> p.node().address() + " " + Units.bytes(p.usedMemory()) + " (" + p.node().slotCount()
                        + " slots, " + Units.count(p.keys()) + " keys)")
                .collect(Collectors.joining("; "));
        double excess = largest.usedMemory() - imbalance.meanUsed();
        if (imbalance.usedRatio() <= IMBALANCE || excess < IMBALANCE_MIN_BYTES) {
            return new CheckResult(id, CheckSeverity.OK, "Primaries hold similar amounts of memory",
                    String.format("Largest %.2f× the mean. %s.", imbalance.usedRatio(), perShard), "");
        }
        String shard = largest.node().address() + " (slots " + shown(largest.node().slots()) + ")";
        StringBuilder evidence = new StringBuilder(String.format("%s uses %s, %.1f× the mean of %s over %d primaries."
                        + " %s.", shard, Units.bytes(largest.usedMemory()), imbalance.usedRatio(),
                Units.bytes(imbalance.meanUsed()), primaries.size(), perShard));
        Optional<Explanation> biggest = biggestKey(nodes, largest, scans, cluster);
        biggest.ifPresent(found -> {
            LatestScanSummary.BigKey key = found.key();
            int slot = Slots.slotOf(key.key());
            evidence.append(" Its biggest key (").append(found.source()).append("): ").append(key.key())
                    .append(" (").append(key.type()).append(", ").append(Units.bytesOrDash(key.bytes())).append(", ")
                    .append(Units.count(key.elements())).append(" elements").append(slot < 0 ? "" : ", slot " + slot)
                    .append(")").append(key.bytes() != null && key.bytes() >= excess / 2
                            ? ": it alone explains " + Units.percent(Math.min(1, key.bytes() / excess))
                                    + " of the excess." : ".");
        });
        String remedy = biggest.isPresent()
                ? "One key of this size lives in one slot and cannot be moved apart: split it (for example by"
                        + " hashing the field into N keys) or trim it."
                : "Scan this shard (Keyspace scans on its node page) to see whether one big key or a hash tag"
                        + " ({...}) that pulls many keys into few slots explains it. When it is many keys spread over"
                        + " slots, move slots: redis-cli --cluster rebalance " + largest.node().address()
                        + " --cluster-use-empty-masters";
        return new CheckResult(id, CheckSeverity.WARNING, "Shard " + largest.node().address() + " holds "
                + String.format("%.1f×", imbalance.usedRatio()) + " the mean memory of the primaries",
                evidence.toString(), remedy);
    }

    /** A big key of the shard and where it was seen: the cluster-wide scan, or a scan of the node alone. */
    private record Explanation(LatestScanSummary.BigKey key, String source) {
    }

    /**
     * The biggest key on the shard: from the newest cluster-wide scan (found on its primary, or on one of its
     * replicas for a scan from the replicas), else from the newest scan of its primary alone.
     */
    private static Optional<Explanation> biggestKey(List<NodeState> nodes, NodeState largest,
            Function<InstanceId, Optional<LatestScanSummary.ScanFindings>> scans, InstanceId cluster) {
        String address = largest.node().address();
        List<String> shard = new ArrayList<>(List.of(address));
        nodes.stream().filter(n -> address.equals(n.node().primary())).forEach(n -> shard.add(n.node().address()));
        Optional<Explanation> merged = cluster == null ? Optional.empty() : scans.apply(cluster)
                .flatMap(scan -> scan.bigKeys().stream().filter(k -> k.node() != null && shard.contains(k.node()))
                        .findFirst()
                        .map(k -> new Explanation(k, "cluster-wide scan of " + Units.utc(scan.finishedAt()))));
        return merged.or(() -> scans.apply(largest.node().instanceId())
                .flatMap(scan -> scan.bigKeys().stream().findFirst())
                .map(k -> new Explanation(k, "newest scan of this node")));
    }

    private static Optional<CheckResult> nearFull(List<NodeState> primaries) {
        List<NodeState> limited = primaries.stream().filter(p -> p.fill() != null).toList();
        Optional<NodeState> fullest = limited.stream().max(Comparator.comparingDouble(NodeState::fill));
        if (fullest.isEmpty() || fullest.get().fill() < NEAR_FULL || limited.size() < 2) {
            return Optional.empty();
        }
        NodeState full = fullest.get();
        double others = limited.stream().filter(p -> p != full).mapToDouble(NodeState::fill).max().orElse(0);
        if (others >= OTHERS_ROOMY) {
            return Optional.empty(); // the whole cluster is full: each node's own checks say so
        }
        MemoryCeiling ceiling = full.ceiling();
        // at maxmemory Redis evicts or refuses writes; at a container's limit (maxmemory above it or 0) the OOM
        // killer ends the node and its replica takes over, as full
        String consequence = ceiling.maxmemory() ? "Writes to its slots (%s) fail or evict first."
                : "Its slots (%s) are the first to be lost: the node's container is killed at its limit (maxmemory "
                        + (full.maxmemory() == null || full.maxmemory() == 0 ? "0 does"
                                : Units.bytes(full.maxmemory()) + " is above it and does")
                        + " not stop it), and its replica holds as much.";
        return Optional.of(new CheckResult("cluster-shard-near-maxmemory",
                full.fill() >= 0.98 ? CheckSeverity.CRITICAL : CheckSeverity.WARNING,
                "Shard " + full.node().address() + " is near its " + ceiling.label() + " while the others are not",
                String.format("%s uses %s of its %s (%s); the next fullest primary is at %s of its own. "
                        + consequence, full.node().address(), Units.bytes(full.usedMemory()), ceiling.describe(),
                        Units.percent(full.fill()), Units.percent(others), shown(full.node().slots())),
                "Move slots away from it (redis-cli --cluster rebalance or reshard), or find the key that grew"
                        + " (scan this node)."
                        + (ceiling.declared() ? " Under a container's limit, set maxmemory below it on every node"
                                + " (see maxmemory-above-limit on the node's page) so Redis evicts or refuses writes"
                                + " before the OOM killer comes." : "")));
    }

    private static CheckResult drift(List<NodeState> nodes) {
        Map<String, NodeState> byAddress = new LinkedHashMap<>();
        nodes.forEach(n -> byAddress.put(n.node().address(), n));
        List<String> drifting = new ArrayList<>();
        int compared = 0;
        for (NodeState replica : nodes) {
            NodeState primary = replica.primary() ? null : byAddress.get(replica.node().primary());
            Long r = dataset(replica);
            Long p = primary == null ? null : dataset(primary);
            if (r == null || p == null) {
                continue;
            }
            compared++;
            long gap = Math.abs(r - p);
            if (gap >= DRIFT_MIN_BYTES && gap > DRIFT * Math.max(p, 1)) {
                drifting.add(String.format("%s holds %s of data, its primary %s %s", replica.node().address(),
                        Units.bytes(r), primary.node().address(), Units.bytes(p)));
            }
        }
        if (compared == 0) {
            return null;
        }
        if (drifting.isEmpty()) {
            return new CheckResult("cluster-replica-drift", CheckSeverity.OK, "Replicas hold what their primaries"
                    + " hold", compared + " replicas compared (used_memory_dataset).", "");
        }
        return new CheckResult("cluster-replica-drift", CheckSeverity.WARNING,
                drifting.size() + " replica(s) differ from their primary by more than "
                        + Units.percent(DRIFT), String.join("; ", drifting) + ".",
                "A replica still syncing, lagging, or with another maxmemory-policy evicting differently: check"
                        + " INFO replication on both (master_link_status, offsets) and their settings.");
    }

    private static Long dataset(NodeState node) {
        if (node.latest() == null) {
            return null;
        }
        Long dataset = node.latest().getLong(Metric.USED_MEMORY_DATASET);
        return dataset != null ? dataset : node.usedMemory();
    }

    private static CheckResult differing(List<NodeState> nodes) {
        List<NodeState> sampled = nodes.stream().filter(n -> n.latest() != null).toList();
        if (sampled.size() < 2) {
            return null;
        }
        Map<String, List<String>> maxmemory = group(sampled,
                n -> n.maxmemory() == null || n.maxmemory() == 0 ? "no limit" : Units.bytes(n.maxmemory()));
        Map<String, List<String>> policy = group(sampled, n -> Objects.toString(n.policy(), "?"));
        Map<String, List<String>> limit = group(sampled,
                n -> n.memoryLimit() == null ? "none" : Units.bytes(n.memoryLimit()));
        boolean declared = sampled.stream().anyMatch(n -> n.memoryLimit() != null);
        if (maxmemory.size() == 1 && policy.size() == 1 && limit.size() == 1) {
            return new CheckResult("cluster-settings-differ", CheckSeverity.OK,
                    "Every node has the same maxmemory and policy" + (declared ? " and memory limit" : ""),
                    "maxmemory " + maxmemory.keySet().iterator().next() + ", policy " + policy.keySet().iterator().next()
                            + (declared ? ", memory limit (declared) " + limit.keySet().iterator().next() : "") + ".",
                    "");
        }
        List<String> parts = new ArrayList<>();
        List<String> remedies = new ArrayList<>();
        boolean settings = maxmemory.size() > 1 || policy.size() > 1;
        if (maxmemory.size() > 1) {
            parts.add("maxmemory: " + describe(maxmemory));
        }
        if (policy.size() > 1) {
            parts.add("maxmemory-policy: " + describe(policy));
        }
        if (settings) {
            remedies.add("A replica promoted in a failover keeps its own settings: set the same on every node (CONFIG"
                    + " SET maxmemory ... / CONFIG SET maxmemory-policy ..., then CONFIG REWRITE).");
        }
        if (limit.size() > 1) {
            parts.add("memory limit (declared): " + describe(limit));
            remedies.add("A limit declared on one node stays that node's: declare the pods' limit on the cluster"
                    + " (PUT /api/instances/{cluster}/memory-limit gives it to every node), unless the pods really"
                    + " have different limits.");
        }
        String title = !settings ? "The declared memory limit differs between nodes"
                : limit.size() > 1 ? "maxmemory, its policy or the declared memory limit differ between nodes"
                : "maxmemory or its policy differ between nodes";
        return new CheckResult("cluster-settings-differ", CheckSeverity.WARNING, title, String.join(". ", parts) + ".",
                String.join("\n", remedies));
    }

    private static Optional<CheckResult> links(List<NodeState> nodes) {
        return nodes.stream().filter(n -> n.clusterLinks() != null && n.usedMemory() != null
                        && n.clusterLinks() >= LINKS_MIN_BYTES
                        && n.clusterLinks() > LINKS_SHARE * n.usedMemory())
                .max(Comparator.comparingLong(NodeState::clusterLinks))
                .map(n -> new CheckResult("cluster-bus-memory", CheckSeverity.WARNING,
                        "Cluster bus links use " + Units.bytes(n.clusterLinks()) + " on " + n.node().address(),
                        String.format("mem_cluster_links is %s of used_memory %s: the cluster bus buffers messages to"
                                + " a slow or stuck peer.", Units.percent(n.clusterLinks() / (double) n.usedMemory()),
                                Units.bytes(n.usedMemory())),
                        "CLUSTER LINKS on that node shows which peer's send buffer grew; cap it with CONFIG SET"
                                + " cluster-link-sendbuf-limit (7.0+)."));
    }

    private static Map<String, List<String>> group(List<NodeState> nodes, Function<NodeState, String> value) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        nodes.forEach(n -> out.computeIfAbsent(value.apply(n), v -> new ArrayList<>()).add(n.node().address()));
        return out;
    }

    private static String describe(Map<String, List<String>> groups) {
        return groups.entrySet().stream().map(e -> e.getKey() + " on " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }

    private static String role(NodeState node) {
        return node.primary() ? "primary" : "replica";
    }

    static String shown(String slots) {
        return slots.isEmpty() ? "none" : slots.length() > 40 ? slots.substring(0, 37) + "..." : slots;
    }
}
