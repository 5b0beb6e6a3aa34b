package io.memdoctor.cluster;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.memdoctor.instances.ClusterProbe;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceAdded;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.redis.ClusterNode;
import io.memdoctor.redis.RedisGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Turns a URL of any node of a Redis Cluster into the whole cluster. An instance added from the page or the API is
 * probed before it is stored ({@code INFO cluster}: {@code cluster_enabled:1}); a configured one, or one that was
 * down when added, is probed by {@link ClusterFollower} until it answers once. A cluster then has its nodes
 * registered ({@link TopologySync}) as soon as it is stored.
 */
@Component
class ClusterDiscovery implements ClusterProbe {

    private static final Logger log = LoggerFactory.getLogger(ClusterDiscovery.class);

    private final RedisGateway gateway;
    private final InstanceService instances;
    private final TopologySync sync;
    private final ClusterNodeRepository rows;
    /** Servers that answered the probe since the start: not asked again. */
    private final Set<InstanceId> probed = ConcurrentHashMap.newKeySet();

    ClusterDiscovery(RedisGateway gateway, InstanceService instances, TopologySync sync, ClusterNodeRepository rows) {
        this.gateway = gateway;
        this.rows = rows;
        this.instances = instances;
        this.sync = sync;
    }

    @Override
    public boolean isCluster(Instance instance) {
        try {
            boolean cluster = gateway.clusterEnabled(instance);
            probed.add(instance.id());
            return cluster;
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /**
     * The watched cluster that has one of this server's cluster's nodes (by node id, as CLUSTER SHARDS or CLUSTER
     * NODES name them: an address can be reused by another cluster later, a node id cannot).
     */
    @Override
    public Optional<Instance> watchedAs(Instance instance) {
        Set<String> ids;
        try {
            ids = gateway.clusterNodes(instance).stream().map(ClusterNode::id).collect(Collectors.toSet());
        }
        catch (RuntimeException ex) {
            return Optional.empty();
        }
        return rows.findAll().stream().filter(row -> ids.contains(row.nodeId())).map(NodeRow::cluster).distinct()
                .map(instances::find).flatMap(Optional::stream).filter(Instance::isCluster).findFirst();
    }

    /** After the addition commits: a cluster's nodes become instances at once. */
    @TransactionalEventListener(fallbackExecution = true)
    void onAdded(InstanceAdded event) {
        if (event.instance().isCluster()) {
            register(event.instance());
        }
    }

    /**
     * A server that was never probed (configured, or down when added) and turns out to be in cluster mode becomes
     * a cluster, unless that cluster is watched already (then it stays a server, with a warning). Returns whether it
     * did.
     */
    boolean probeLate(Instance server) {
        if (server.isCluster() || server.isNode() || probed.contains(server.id())) {
            return false;
        }
        try {
            boolean cluster = gateway.clusterEnabled(server);
            probed.add(server.id());
            if (!cluster) {
                return false;
            }
        }
        catch (RuntimeException ex) {
            return false;
        }
        Optional<Instance> existing = watchedAs(server);
        if (existing.isPresent()) {
            // its nodes are watched already: a second cluster of them would sample every node twice
            log.warn("Instance {} is a node of the cluster {}, which is already watched: it stays a server."
                    + " Remove one of the two.", server.id(), existing.get().id());
            return false;
        }
        register(instances.markCluster(server.id()));
        return true;
    }

    private void register(Instance cluster) {
        try {
            sync.sync(cluster);
        }
        catch (RuntimeException ex) {
            // the follower tries again at its next round
            log.warn("Cluster {}: could not read its topology yet: {}", cluster.id(),
                    RedisGateway.scrub(String.valueOf(ex.getMessage()), cluster));
        }
    }
}
