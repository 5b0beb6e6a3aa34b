package io.memdoctor.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import org.springframework.stereotype.Service;

/**
 * What other features ask about clusters: the topology of an instance (a cluster's nodes, or the one server of a
 * standalone instance) and the cluster's timeline of topology changes. The topology is the one last read
 * ({@link ClusterFollower} keeps it current); asking does not talk to Redis.
 */
@Service
public class Clusters {

    private final InstanceService instances;
    private final ClusterNodeRepository rows;
    private final ClusterEventRepository events;

    Clusters(InstanceService instances, ClusterNodeRepository rows, ClusterEventRepository events) {
        this.instances = instances;
        this.rows = rows;
        this.events = events;
    }

    /**
     * The topology of an instance: CLUSTER with every node for a cluster; STANDALONE with one node for a server (a
     * node of a cluster asked on its own included: its role, primary and slots as the cluster last said).
     * Empty for an unknown id.
     */
    public Optional<ClusterTopology> topology(InstanceId id) {
        return instances.find(id).map(this::topology);
    }

    /** The topology of a known instance. */
    public ClusterTopology topology(Instance instance) {
        if (instance.isCluster()) {
            return new ClusterTopology(ClusterTopology.Kind.CLUSTER, ordered(rows.findByCluster(instance.id())));
        }
        ClusterTopology.Node node = rows.find(instance.id()).map(NodeRow::toNode)
                .orElseGet(() -> new ClusterTopology.Node(TopologySync.address(instance.url()),
                        ClusterTopology.Role.PRIMARY, null, "", instance.id()));
        return new ClusterTopology(ClusterTopology.Kind.STANDALONE, List.of(node));
    }

    /** Whether the id is a cluster (not a node of one, not a server). */
    public boolean isCluster(InstanceId id) {
        return instances.find(id).map(Instance::isCluster).orElse(false);
    }

    /** The cluster's topology changes, newest first, since a time, at most {@code limit}. */
    public List<ClusterEvent> events(InstanceId cluster, Instant since, int limit) {
        return events.recent(cluster, since, limit);
    }

    /** Primaries in slot order, each followed by its replicas; nodes whose primary is unknown last. */
    static List<ClusterTopology.Node> ordered(List<NodeRow> rows) {
        List<ClusterTopology.Node> out = new ArrayList<>();
        List<NodeRow> primaries = rows.stream().filter(r -> r.role() == ClusterTopology.Role.PRIMARY)
                .sorted(Comparator.comparingInt((NodeRow r) -> Slots.first(r.slots())).thenComparing(NodeRow::address))
                .toList();
        for (NodeRow primary : primaries) {
            out.add(primary.toNode());
            rows.stream().filter(r -> r.role() == ClusterTopology.Role.REPLICA && primary.address().equals(r.primary()))
                    .sorted(Comparator.comparing(NodeRow::address)).forEach(r -> out.add(r.toNode()));
        }
        rows.stream().map(NodeRow::toNode).filter(n -> !out.contains(n)).forEach(out::add);
        return out;
    }
}
