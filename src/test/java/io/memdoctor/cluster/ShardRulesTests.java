package io.memdoctor.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckSeverity;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shard rules and the cluster's capacity measured against each primary's ceiling: maxmemory, or the memory limit
 * declared for its container when that is smaller or maxmemory is 0 (Redis Cluster pods in Kubernetes), never the
 * host's memory. The end-to-end case on a real cluster is {@code ClusterMemoryLimitTests}.
 */
class ShardRulesTests {

    static final long GIB = 1L << 30;
    static final long HOST = 64 * GIB;
    static final String[] SLOTS = {"0-5460", "5461-10922", "10923-16383"};

    @Test
    void aShardNearItsDeclaredLimitWhileTheOthersAreNotFires() {
        List<NodeState> nodes = cluster(0, GIB, 0.92, 0.40, 0.35);

        CheckResult full = finding(nodes, "cluster-shard-near-maxmemory").orElseThrow();
        assertThat(full.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(full.title()).isEqualTo("Shard 10.0.0.1:6379 is near its memory limit (declared) while the others"
                + " are not");
        assertThat(full.evidence()).startsWith("10.0.0.1:6379 uses 942 MB of its 1.0 GB memory limit (declared) (92%);"
                        + " the next fullest primary is at 40% of its own.")
                .contains("slots (0-5460)", "maxmemory 0 does not stop it");
        assertThat(full.remedy()).contains("set maxmemory below it");

        Imbalance imbalance = Imbalance.of(primaries(nodes));
        assertThat(imbalance.fullest().node().address()).isEqualTo("10.0.0.1:6379");
        assertThat(imbalance.fullest().fill()).isEqualTo(0.92, org.assertj.core.data.Offset.offset(0.001));
        Capacity capacity = Capacity.of(primaries(nodes));
        assertThat(capacity.bytes()).isEqualTo(3 * GIB);
        assertThat(capacity.kind()).isEqualTo(Capacity.Kind.MEMORY_LIMIT);
        assertThat(capacity.describe()).isEqualTo("3.0 GB (memory limit, declared)");
    }

    @Test
    void maxmemoryUnderTheLimitIsTheCeiling() {
        List<NodeState> nodes = cluster(GIB / 2, GIB, 0.99, 0.20, 0.20);

        CheckResult full = finding(nodes, "cluster-shard-near-maxmemory").orElseThrow();
        assertThat(full.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(full.title()).contains("near its maxmemory while");
        assertThat(full.evidence()).contains("of its 512 MB maxmemory (99%)", "fail or evict first");
        assertThat(Capacity.of(primaries(nodes))).isEqualTo(new Capacity(3 * GIB / 2, Capacity.Kind.MAXMEMORY));
    }

    @Test
    void theHostsMemoryIsNoLimitOfAShard() {
        List<NodeState> nodes = cluster(0, null, 0.92, 0.40, 0.35);

        assertThat(nodes.get(0).ceiling().code()).isEqualTo("system");
        assertThat(nodes.get(0).fill()).isNull();
        assertThat(finding(nodes, "cluster-shard-near-maxmemory")).isEmpty();
        assertThat(Capacity.of(primaries(nodes))).isNull();
        // the fullest without limits is the largest
        assertThat(Imbalance.of(primaries(nodes)).fullest().node().address()).isEqualTo("10.0.0.1:6379");
    }

    @Test
    void aWholeClusterNearItsLimitsIsLeftToEachNodesChecks() {
        assertThat(finding(cluster(0, GIB, 0.95, 0.85, 0.80), "cluster-shard-near-maxmemory")).isEmpty();
    }

    @Test
    void maxmemoryOnSomePrimariesAndTheLimitOnOthersIsMixed() {
        List<NodeState> nodes = new ArrayList<>(cluster(0, GIB, 0.30, 0.30, 0.30));
        nodes.set(0, node(0, true, GIB / 4, GIB, GIB / 8));

        Capacity capacity = Capacity.of(primaries(nodes));
        assertThat(capacity.bytes()).isEqualTo(GIB / 4 + 2 * GIB);
        assertThat(capacity.kind()).isEqualTo(Capacity.Kind.MIXED);
        assertThat(capacity.code()).isEqualTo("mixed");
    }

    @Test
    void declaredLimitsThatDifferBetweenNodesAreFlagged() {
        List<NodeState> nodes = new ArrayList<>(cluster(0, GIB, 0.30, 0.30, 0.30));
        assertThat(finding(nodes, "cluster-settings-differ").orElseThrow())
                .satisfies(same -> assertThat(same.severity()).isEqualTo(CheckSeverity.OK))
                .satisfies(same -> assertThat(same.evidence()).contains("memory limit (declared) 1.0 GB"));

        nodes.set(4, node(1, false, 0, 2 * GIB, GIB / 4));
        CheckResult differ = finding(nodes, "cluster-settings-differ").orElseThrow();
        assertThat(differ.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(differ.title()).isEqualTo("The declared memory limit differs between nodes");
        assertThat(differ.evidence()).isEqualTo("memory limit (declared): 1.0 GB on 10.0.0.1:6379, 10.0.0.2:6379,"
                + " 10.0.0.3:6379, 10.0.0.4:6379, 10.0.0.6:6379; 2.0 GB on 10.0.0.5:6379.");
        assertThat(differ.remedy()).contains("PUT /api/instances/{cluster}/memory-limit");

        nodes.set(3, node(0, false, GIB / 2, GIB, GIB / 4));
        assertThat(finding(nodes, "cluster-settings-differ").orElseThrow().title())
                .isEqualTo("maxmemory, its policy or the declared memory limit differ between nodes");
    }

    /** Three primaries at these fills of {@code limit} (or of the host), each with one replica. */
    private static List<NodeState> cluster(long maxmemory, Long limit, double... fills) {
        long base = limit == null ? GIB : maxmemory > 0 ? Math.min(maxmemory, limit) : limit;
        List<NodeState> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(node(i, true, maxmemory, limit, (long) (fills[i] * base)));
        }
        for (int i = 0; i < 3; i++) {
            nodes.add(node(i, false, maxmemory, limit, (long) (fills[i] * base)));
        }
        return nodes;
    }

    private static NodeState node(int shard, boolean primary, long maxmemory, Long limit, long used) {
        String address = "10.0.0." + (primary ? shard + 1 : shard + 4) + ":6379";
        ClusterTopology.Node node = new ClusterTopology.Node(address,
                primary ? ClusterTopology.Role.PRIMARY : ClusterTopology.Role.REPLICA,
                primary ? null : "10.0.0." + (shard + 1) + ":6379", primary ? SLOTS[shard] : "",
                InstanceId.of("c-node-" + address.replace(':', '-').replace('.', '-')));
        Snapshot sample = Snapshot.ok(node.instanceId(), Instant.parse("2026-11-30T06:00:00Z"), Map.of(
                Metric.USED_MEMORY, used, Metric.USED_MEMORY_RSS, used + 8 * 1024 * 1024, Metric.MAXMEMORY, maxmemory,
                Metric.TOTAL_SYSTEM_MEMORY, HOST, Metric.MAXMEMORY_POLICY, "noeviction", Metric.KEYS, 1000L));
        return new NodeState(node, address, new InstanceStatus("OK", sample.timestamp(), null, null), sample, limit);
    }

    private static List<NodeState> primaries(List<NodeState> nodes) {
        return nodes.stream().filter(NodeState::primary).toList();
    }

    private static Optional<CheckResult> finding(List<NodeState> nodes, String id) {
        return ShardRules.check(nodes, Imbalance.of(primaries(nodes)), any -> Optional.empty(), null).stream()
                .filter(f -> f.id().equals(id)).findFirst();
    }
}
