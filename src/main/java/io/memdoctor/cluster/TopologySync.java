package io.memdoctor.cluster;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.instances.DuplicateInstanceException;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.InvalidRedisUrlException;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.redis.ClusterNode;
import io.memdoctor.redis.RedisFailure;
import io.memdoctor.redis.RedisGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads a cluster's topology and brings the dashboard in line with it: a node not yet watched becomes an instance
 * (the seed's credentials and TLS at the address the cluster announces, if {@code allowed-targets} lets it), a
 * node that left is removed, and each node's role, primary and slots are stored. Every change is an event
 * (failover, node added or removed, reshard, node failed or back).
 *
 * <p>It asks the seed first, then each node in turn, so a cluster whose seed died is still followed.
 */
@Component
class TopologySync {

    private static final Logger log = LoggerFactory.getLogger(TopologySync.class);

    private final RedisGateway gateway;
    private final InstanceService instances;
    private final ClusterNodeRepository rows;
    private final ClusterEventRepository events;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final Map<InstanceId, Object> locks = new ConcurrentHashMap<>();
    /** Every node's stored row, for the quick look of {@link #known} at each sample. */
    private final Map<InstanceId, NodeRow> current = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    TopologySync(RedisGateway gateway, InstanceService instances, ClusterNodeRepository rows,
            ClusterEventRepository events, Clock clock, TransactionTemplate transactions) {
        this.transactions = transactions;
        this.gateway = gateway;
        this.instances = instances;
        this.rows = rows;
        this.events = events;
        this.clock = clock;
    }

    /** The stored row of a node, {@code null} for an instance that is no node of a cluster. */
    NodeRow known(InstanceId instance) {
        if (!loaded) {
            rows.findAll().forEach(row -> current.put(row.instanceId(), row));
            loaded = true;
        }
        return current.get(instance);
    }

    @EventListener
    void onRemoved(InstanceRemoved event) {
        current.remove(event.id());
        current.values().removeIf(row -> row.cluster().equals(event.id()));
        locks.remove(event.id());
    }

    /**
     * Reads the topology of a cluster and applies it.
     *
     * @return the changes recorded (empty when nothing changed)
     * @throws RedisFailure when no node answered
     */
    List<ClusterEvent> sync(Instance cluster) {
        synchronized (locks.computeIfAbsent(cluster.id(), id -> new Object())) {
            List<ClusterNode> reported = read(cluster, instances.nodes(cluster.id()));
            // every replica follows every cluster: the comparison with the stored topology and its storing happen
            // under the cluster's row lock, so the replica that comes second finds the change stored and records
            // no event twice (the members are read again under the lock for the same reason)
            return transactions.execute(status -> rows.lockCluster(cluster.id())
                    ? apply(cluster, instances.nodes(cluster.id()), reported)
                    : List.of());
        }
    }

    private List<ClusterNode> read(Instance cluster, List<Instance> members) {
        RedisFailure first = null;
        List<Instance> askable = new ArrayList<>();
        askable.add(cluster);
        askable.addAll(members);
        for (Instance node : askable) {
            try {
                List<ClusterNode> reported = gateway.clusterNodes(node);
                if (!reported.isEmpty()) {
                    return reported;
                }
            }
            catch (RedisFailure ex) {
                first = first == null ? ex : first;
            }
        }
        throw first != null ? first : new IllegalStateException("no node of the cluster described it");
    }

    private List<ClusterEvent> apply(Instance cluster, List<Instance> members, List<ClusterNode> reported) {
        Instant now = clock.instant();
        boolean first = members.isEmpty();
        List<ClusterEvent> changes = new ArrayList<>();
        Map<String, Instance> byAddress = new HashMap<>();
        members.forEach(m -> byAddress.put(address(m.url()), m));
        Map<InstanceId, NodeRow> known = new HashMap<>();
        rows.findByCluster(cluster.id()).forEach(r -> known.put(r.instanceId(), r));
        Map<String, String> addressOfId = new HashMap<>();
        reported.forEach(n -> addressOfId.put(n.id(), n.address()));
        List<String> seen = new ArrayList<>();
        List<NodeRow[]> compared = new ArrayList<>();
        for (ClusterNode node : reported) {
            String address = node.address();
            seen.add(address);
            Instance member = byAddress.get(address);
            if (member == null) {
                member = add(cluster, node, now, changes, first);
                if (member == null) {
                    continue;
                }
                byAddress.put(address, member);
            }
            NodeRow row = new NodeRow(member.id(), cluster.id(), node.id(), address,
                    node.primary() ? ClusterTopology.Role.PRIMARY : ClusterTopology.Role.REPLICA,
                    node.primary() ? null : addressOfId.get(node.primaryId()), node.slots(), node.failed(),
                    now.toEpochMilli());
            NodeRow before = known.get(member.id());
            if (before != null) {
                compared.add(new NodeRow[] {before, row});
            }
            rows.save(row);
            current.put(row.instanceId(), row);
        }
        // a primary that a failover emptied is part of the failover, not a reshard
        List<String> demoted = compared.stream().filter(pair -> promoted(pair[0], pair[1]))
                .map(pair -> pair[0].primary()).toList();
        compared.forEach(pair -> compare(pair[0], pair[1], demoted.contains(pair[0].address()), now, changes));
        for (Instance member : members) {
            String address = address(member.url());
            if (!seen.contains(address)) {
                instances.removeNode(member.id());
                current.remove(member.id());
                changes.add(new ClusterEvent(now, ClusterEvent.Kind.NODE_REMOVED, address,
                        address + " is no longer a node of the cluster: it is no longer watched."));
            }
        }
        if (first) {
            long primaries = reported.stream().filter(ClusterNode::primary).count();
            changes.add(0, new ClusterEvent(now, ClusterEvent.Kind.DISCOVERED, null, "Found " + primaries
                    + " primaries and " + (reported.size() - primaries) + " replicas from the seed "
                    + address(cluster.url()) + "."));
        }
        changes.forEach(event -> events.add(cluster.id(), event));
        if (!changes.isEmpty()) {
            log.info("Cluster {}: {}", cluster.id(), changes.stream().map(ClusterEvent::detail).toList());
        }
        return changes;
    }

    private Instance add(Instance cluster, ClusterNode node, Instant now, List<ClusterEvent> changes, boolean first) {
        String address = node.address();
        try {
            RedisUrl url = cluster.url().withAddress(node.host(), node.port());
            Instance added = instances.addNode(cluster, cluster.name() + " " + address, url);
            if (!first) {
                changes.add(new ClusterEvent(now, ClusterEvent.Kind.NODE_ADDED, address, address + " joined the"
                        + " cluster as a " + (node.primary() ? "primary" : "replica") + "."));
            }
            return added;
        }
        catch (InvalidRedisUrlException | DuplicateInstanceException ex) {
            String why = ex instanceof DuplicateInstanceException duplicate && duplicate.getBody().getDetail() != null
                    ? duplicate.getBody().getDetail() : ex.getMessage();
            changes.add(new ClusterEvent(now, ClusterEvent.Kind.NODE_REFUSED, address,
                    address + " is not watched: " + why));
            return null;
        }
    }

    private static boolean promoted(NodeRow before, NodeRow after) {
        return before.role() == ClusterTopology.Role.REPLICA && after.role() == ClusterTopology.Role.PRIMARY;
    }

    private static void compare(NodeRow before, NodeRow after, boolean demoted, Instant now,
            List<ClusterEvent> changes) {
        String address = after.address();
        if (promoted(before, after)) {
            changes.add(new ClusterEvent(now, ClusterEvent.Kind.FAILOVER, address, address + " took over as primary"
                    + (before.primary() == null ? "" : " from " + before.primary()) + "."));
        }
        else if (before.role() == ClusterTopology.Role.PRIMARY && after.role() == ClusterTopology.Role.PRIMARY
                && !demoted && !Objects.equals(before.slots(), after.slots())) {
            changes.add(new ClusterEvent(now, ClusterEvent.Kind.RESHARD, address, address + " serves "
                    + Slots.count(after.slots()) + " slots (" + shown(after.slots()) + "), was "
                    + Slots.count(before.slots()) + "."));
        }
        if (!before.failed() && after.failed()) {
            changes.add(new ClusterEvent(now, ClusterEvent.Kind.NODE_FAILED, address,
                    "The cluster marks " + address + " as failed."));
        }
        else if (before.failed() && !after.failed()) {
            changes.add(new ClusterEvent(now, ClusterEvent.Kind.NODE_RECOVERED, address, address + " is back."));
        }
    }

    private static String shown(String slots) {
        return slots.isEmpty() ? "none" : slots.length() > 60 ? slots.substring(0, 57) + "..." : slots;
    }

    /** {@code host:port} of a URL, as {@link ClusterNode#address()} writes it. */
    static String address(RedisUrl url) {
        String host = url.host();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + url.port();
    }
}
