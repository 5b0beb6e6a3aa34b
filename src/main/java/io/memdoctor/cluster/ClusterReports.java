package io.memdoctor.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.checks.LatestScanSummary;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.DiagnosisService;
import io.memdoctor.diagnosis.Severity;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.snapshots.LatestSamples;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotHistory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What the cluster page, its API and the overview card show: the nodes with their newest samples, totals,
 * imbalance, the checks across shards, the timeline, and each shard's memory over time. Reads the store only.
 */
@Service
public class ClusterReports {

    private static final Duration TIMELINE = Duration.ofDays(30);
    private static final int TIMELINE_EVENTS = 50;

    private final Clusters clusters;
    private final InstanceService instances;
    private final SnapshotHistory history;
    private final ObjectProvider<LatestScanSummary> scans;
    private final Clock clock;
    private final DiagnosisService diagnoses;

    ClusterReports(Clusters clusters, InstanceService instances, SnapshotHistory history,
            ObjectProvider<LatestScanSummary> scans, Clock clock, DiagnosisService diagnoses) {
        this.diagnoses = diagnoses;
        this.clusters = clusters;
        this.instances = instances;
        this.history = history;
        this.scans = scans;
        this.clock = clock;
    }

    /** The cluster now, from the newest sample of each node. */
    public ClusterSummary summary(Instance cluster) {
        return summary(cluster, history.latestOfAll());
    }

    /** The same, from newest samples already read (the overview reads them once for every card). */
    public ClusterSummary summary(Instance cluster, Map<InstanceId, LatestSamples.Latest> latest) {
        ClusterTopology topology = clusters.topology(cluster);
        Map<InstanceId, Instance> found = new HashMap<>();
        instances.nodes(cluster.id()).forEach(node -> found.put(node.id(), node));
        List<NodeState> nodes = new ArrayList<>();
        for (ClusterTopology.Node node : topology.nodes()) {
            LatestSamples.Latest known = latest.get(node.instanceId());
            InstanceStatus status = known != null ? known.status() : history.statusOf(node.instanceId());
            Snapshot ok = known != null ? known.latestOk() : history.latestOk(node.instanceId()).orElse(null);
            Instance instance = found.get(node.instanceId());
            // a node carries the cluster's limit (given when found and when it changes); one not stored yet gets it too
            nodes.add(new NodeState(node, instance == null ? node.address() : instance.name(), status, ok,
                    instance == null ? cluster.memoryLimit() : instance.memoryLimit()));
        }
        Imbalance imbalance = Imbalance.of(nodes.stream().filter(NodeState::primary).toList());
        LatestScanSummary scanSource = scans.getIfUnique(() -> LatestScanSummary.NONE);
        return new ClusterSummary(cluster, nodes, imbalance, ShardRules.check(nodes, imbalance, scanSource::latest, cluster.id()),
                clusters.events(cluster.id(), clock.instant().minus(TIMELINE), TIMELINE_EVENTS));
    }

    /**
     * Each node's diagnosis over {@code [from, to)} ({@code null}s: the last hour) and the most serious one as the
     * cluster's, naming its shard.
     */
    public ClusterDiagnosis diagnosis(Instance cluster, Instant from, Instant to) {
        List<ClusterDiagnosis.NodeVerdict> verdicts = new ArrayList<>();
        for (ClusterTopology.Node node : clusters.topology(cluster).nodes()) {
            Diagnosis d = diagnoses.diagnose(node.instanceId().value(), from, to);
            verdicts.add(new ClusterDiagnosis.NodeVerdict(node.address(), node.role().name(), node.slots(),
                    node.instanceId().value(), d.severity().name(), d.verdict().name(), d.summary()));
        }
        return ClusterDiagnosis.of(verdicts, java.util.Arrays.stream(Severity.values()).map(Enum::name).toList());
    }

    /**
     * Used memory and RSS of each shard (its primary now) over {@code [from, to)}, at most {@code maxPoints} points
     * each, with the topology changes of that time (failovers marked on the chart).
     */
    public ShardHistory shardHistory(Instance cluster, Instant from, Instant to, int maxPoints) {
        List<ShardHistory.Series> series = new ArrayList<>();
        for (ClusterTopology.Node primary : clusters.topology(cluster).primaries()) {
            SnapshotHistory.HistoryResult range = history.range(primary.instanceId(), from, to, maxPoints);
            List<ShardHistory.Point> points = range.points().stream()
                    .map(s -> new ShardHistory.Point(s.timestamp(), s.getLong(Metric.USED_MEMORY),
                            s.getLong(Metric.USED_MEMORY_RSS)))
                    .toList();
            series.add(new ShardHistory.Series(primary.address(), primary.instanceId().value(), primary.slots(),
                    points));
        }
        List<ClusterEvent> events = clusters.events(cluster.id(), from, 200).stream()
                .filter(e -> e.at().isBefore(to)).toList();
        return new ShardHistory(from, to, series, events);
    }
}
