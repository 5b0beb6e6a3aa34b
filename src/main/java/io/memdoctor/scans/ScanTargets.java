package io.memdoctor.scans;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.memdoctor.cluster.ClusterTopology;
import io.memdoctor.cluster.Clusters;
import io.memdoctor.instances.AllowedTargets;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.InvalidRedisUrlException;
import io.memdoctor.redis.RedisFailure;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.redis.ReplicationInfo;
import org.springframework.stereotype.Component;

/**
 * Which nodes a scan runs on: the instance itself, or (with {@code from: replica}) its least lagging online
 * replica, reached with the primary's credentials and TLS at the address the replica announced (checked against
 * {@code memdoctor.instances.allowed-targets} like any URL). For a cluster, every primary of the topology last
 * read ({@link Clusters}), or a replica of each (with READONLY) where the shard has one; each node is reached as
 * its own instance (the cluster's credentials and TLS).
 */
@Component
class ScanTargets {

    /** The state of a cluster replica whose primary did not answer. */
    static final String UNKNOWN = "unknown";

    private final RedisGateway gateway;
    private final AllowedTargets allowed;
    private final Clusters clusters;
    private final InstanceService instances;

    ScanTargets(RedisGateway gateway, AllowedTargets allowed, Clusters clusters, InstanceService instances) {
        this.gateway = gateway;
        this.allowed = allowed;
        this.clusters = clusters;
        this.instances = instances;
    }

    /**
     * The nodes to scan.
     *
     * @param from {@code null} for the primary
     * @throws ScanConflictException when a replica is asked for and none is online (409)
     */
    Plan plan(Instance instance, ScanSource from) {
        if (instance.isCluster()) {
            return clusterPlan(instance, from);
        }
        String address = address(instance);
        if (from != ScanSource.REPLICA) {
            return new Plan(false, ScanSource.PRIMARY,
                    List.of(new ScanTarget(address, ScanTarget.PRIMARY, null, instance, false)));
        }
        List<ReplicationInfo.Replica> online = replicas(instance).online();
        if (online.isEmpty()) {
            throw ScanConflictException.noReplica(instance.id().value());
        }
        ReplicationInfo.Replica replica = online.get(0);
        return new Plan(false, ScanSource.REPLICA, List.of(
                new ScanTarget(replica.address(), ScanTarget.REPLICA, address, replicaOf(instance, replica), false)));
    }

    /**
     * Every primary of the cluster, or for {@code from: replica} a replica of each: the least lagging one its primary
     * lists online, else one whose primary did not answer (its state unknown); a shard without either is scanned on
     * its primary.
     */
    private Plan clusterPlan(Instance cluster, ScanSource from) {
        ClusterTopology topology = clusters.topology(cluster);
        List<ReplicationInfo.Replica> states = from == ScanSource.REPLICA ? clusterReplicas(topology).replicas()
                : List.of();
        List<ScanTarget> targets = new ArrayList<>();
        for (ClusterTopology.Node primary : topology.primaries()) {
            ClusterTopology.Node replica = from != ScanSource.REPLICA ? null : replicaToScan(topology, primary, states);
            if (replica != null) {
                targets.add(new ScanTarget(replica.address(), ScanTarget.REPLICA, primary.address(),
                        instances.get(replica.instanceId().value()), true));
            }
            else {
                instances.find(primary.instanceId()).ifPresent(node -> targets.add(
                        new ScanTarget(primary.address(), ScanTarget.PRIMARY, null, node, false)));
            }
        }
        if (targets.isEmpty()) {
            throw ScanConflictException.noTopology(cluster.id().value());
        }
        return new Plan(true, from == null ? ScanSource.PRIMARY : from, targets);
    }

    private ClusterTopology.Node replicaToScan(ClusterTopology topology, ClusterTopology.Node primary,
            List<ReplicationInfo.Replica> states) {
        List<ClusterTopology.Node> watched = topology.replicasOf(primary.address()).stream()
                .filter(r -> instances.find(r.instanceId()).isPresent()).toList();
        Comparator<ClusterTopology.Node> byLag = Comparator.comparingLong(r -> state(states, r)
                .map(ReplicationInfo.Replica::lagSeconds).orElse(Long.MAX_VALUE));
        return watched.stream().filter(r -> state(states, r).filter(ReplicationInfo.Replica::online).isPresent())
                .min(byLag)
                .or(() -> watched.stream().filter(r -> state(states, r).map(x -> UNKNOWN.equals(x.state()))
                        .orElse(false)).findFirst())
                .orElse(null);
    }

    private static Optional<ReplicationInfo.Replica> state(List<ReplicationInfo.Replica> states,
            ClusterTopology.Node replica) {
        return states.stream().filter(s -> s.address().equals(replica.address())).findFirst();
    }

    /** Whether the instance is a cluster, scanned on every shard. */
    boolean isCluster(Instance instance) {
        return instance.isCluster();
    }

    /** Whether a scan from a replica can run: the instance has a replica online (a cluster: a shard has one). */
    boolean replicaAvailable(Instance instance) {
        if (instance.isCluster()) {
            ClusterTopology topology = clusters.topology(instance);
            return topology.nodes().stream().anyMatch(n -> n.role() == ClusterTopology.Role.REPLICA);
        }
        return !replicas(instance).online().isEmpty();
    }

    /**
     * What INFO replication says of the instance's replicas (none when it cannot be read); for a cluster, the
     * replica nodes of its topology, each with the state, offset and lag its primary's INFO replication gives it.
     */
    ReplicationInfo replicas(Instance instance) {
        if (instance.isCluster()) {
            return clusterReplicas(clusters.topology(instance));
        }
        return replicationOf(instance);
    }

    private ReplicationInfo replicationOf(Instance instance) {
        try {
            return gateway.replication(instance);
        }
        catch (RedisFailure ex) {
            return new ReplicationInfo(null, List.of());
        }
    }

    /**
     * The replicas of every shard. A cluster node's own INFO says nothing of its lag: its primary's does (slaveN:
     * ip, port, state, offset, lag). A replica its primary does not list is {@code disconnected} (down, or not
     * connected yet), or {@code unknown} when the primary did not answer; lag and offset -1.
     */
    private ReplicationInfo clusterReplicas(ClusterTopology topology) {
        List<ReplicationInfo.Replica> out = new ArrayList<>();
        for (ClusterTopology.Node primary : topology.primaries()) {
            List<ClusterTopology.Node> replicas = topology.replicasOf(primary.address());
            if (replicas.isEmpty()) {
                continue;
            }
            ReplicationInfo said = instances.find(primary.instanceId()).map(this::replicationOf)
                    .orElse(new ReplicationInfo(null, List.of()));
            List<ReplicationInfo.Replica> listed = said.replicas();
            // replicationOf gives no role when the primary did not answer
            String missing = said.role() == null ? UNKNOWN : "disconnected";
            for (ClusterTopology.Node replica : replicas) {
                String host = host(replica.address());
                int port = port(replica.address());
                ReplicationInfo.Replica reported = listed.stream()
                        .filter(r -> r.address().equals(replica.address()))
                        .findFirst().orElseGet(() -> {
                            // announced and seen addresses can differ (NAT, cluster-announce-ip): the port decides
                            List<ReplicationInfo.Replica> samePort = listed.stream().filter(r -> r.port() == port)
                                    .toList();
                            return samePort.size() == 1 ? samePort.get(0) : null;
                        });
                out.add(reported == null ? new ReplicationInfo.Replica(host, port, missing, -1, -1)
                        : new ReplicationInfo.Replica(host, port, reported.state(), reported.offset(),
                                reported.lagSeconds()));
            }
        }
        return new ReplicationInfo("cluster", out);
    }

    private Instance replicaOf(Instance instance, ReplicationInfo.Replica replica) {
        try {
            Instance target = new Instance(instance.id(), instance.name(),
                    instance.url().atReplica(replica.host(), replica.port()), instance.source());
            allowed.check(target.url());
            return target;
        }
        catch (InvalidRedisUrlException ex) {
            throw ScanConflictException.unreachableReplica(replica.address(), ex.getMessage());
        }
    }

    private static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    static String address(Instance instance) {
        String host = instance.url().host();
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + instance.url().port();
    }

    /**
     * @param cluster whether these are the shards of a cluster (results merged, each key marked with its node)
     * @param from where the scan was asked to run
     * @param targets the nodes, one thread each
     */
    record Plan(boolean cluster, ScanSource from, List<ScanTarget> targets) {
    }
}
