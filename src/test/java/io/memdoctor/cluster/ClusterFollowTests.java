package io.memdoctor.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology is read again on its own schedule (every second here), with scheduled sampling off as the test
 * profile has it: a failover ({@code CLUSTER FAILOVER} on a replica) shows in the topology within two rounds, and
 * is on the cluster's timeline; a node that joins and leaves is followed at the next round, without a restart.
 */
@SpringBootTest(properties = {"memdoctor.clusters.scheduled=true", "memdoctor.clusters.refresh=1s",
    "memdoctor.sampling.timeout=800ms"})
@ActiveProfiles("test")
@DirtiesContext // the topology schedule on (every 1 s): a context only it uses, stopped with its cluster
class ClusterFollowTests {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    static RedisCluster cluster;

    /** The nodes of the shards a test failed over (the replica and its primary of then). */
    private static final java.util.Set<Integer> FAILED_OVER = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Autowired
    InstanceService instances;

    @Autowired
    Clusters clusters;

    @Autowired
    MemDoctorProperties properties;

    @Autowired
    RedisGateway gateway;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ClusterEventRepository eventRows;

    @Autowired
    TransactionTemplate transactions;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFailoverIsFollowedWithinTwoRoundsWithSamplingOff() throws Exception {
        assertThat(properties.sampling().enabled()).isFalse();
        Instance added = watched();
        InstanceId id = added.id();
        assertThat(clusters.topology(id).orElseThrow().nodes()).hasSize(6);
        int replica = syncedReplica();
        String address = "127.0.0.1:" + replica;

        Instant done = Instant.now();
        long asked = System.nanoTime();
        cluster.failover(replica);
        System.out.println("The cluster agreed on the failover " + (System.nanoTime() - asked) / 1_000_000 + " ms after"
                + " CLUSTER FAILOVER");
        Duration took = await(id, t -> t.nodes().stream()
                .anyMatch(n -> n.address().equals(address) && n.role() == ClusterTopology.Role.PRIMARY),
                INTERVAL.multipliedBy(5));
        System.out.println("Failover followed " + took.toMillis() + " ms after the cluster agreed on it");
        assertThat(took).isLessThanOrEqualTo(INTERVAL.multipliedBy(2).plusMillis(500));
        // the old primary follows as its replica once it hears of it
        await(id, t -> t.replicasOf(address).size() == 1, INTERVAL.multipliedBy(5));
        assertThat(clusters.topology(id).orElseThrow().primaries()).hasSize(3);
        List<ClusterEvent> events = clusters.events(id, done.minusSeconds(5), 20);
        assertThat(events).anyMatch(e -> e.kind() == ClusterEvent.Kind.FAILOVER && address.equals(e.node()));
    }

    @Test
    void aNodeThatJoinsAndLeavesIsFollowed() throws Exception {
        Instance added = watched();
        InstanceId id = added.id();
        int port = cluster.addNode();
        String address = "127.0.0.1:" + port;
        await(id, t -> t.nodes().size() == 7, Duration.ofSeconds(8));
        ClusterTopology.Node node = clusters.topology(id).orElseThrow().nodes().stream()
                .filter(n -> n.address().equals(address)).findFirst().orElseThrow();
        assertThat(node.role()).isEqualTo(ClusterTopology.Role.PRIMARY);
        assertThat(node.slots()).isEmpty();
        assertThat(instances.find(node.instanceId())).isPresent();

        cluster.removeNode(port);
        await(id, t -> t.nodes().size() == 6, Duration.ofSeconds(8));
        assertThat(instances.find(node.instanceId())).isEmpty();
        List<ClusterEvent> events = clusters.events(id, Instant.now().minusSeconds(60), 20);
        assertThat(events).anyMatch(e -> e.kind() == ClusterEvent.Kind.NODE_ADDED && address.equals(e.node()));
        assertThat(events).anyMatch(e -> e.kind() == ClusterEvent.Kind.NODE_REMOVED && address.equals(e.node()));
    }

    /**
     * Several replicas follow the same cluster, each on its own schedule: two more syncs running in a loop beside
     * the scheduled one (as two more replicas would, on the same store, here a slow one: each node's row takes
     * 40 ms to store, so their comparisons overlap) record a failover once, not once each.
     */
    @Test
    void replicasFollowingOneClusterRecordAFailoverOnce() throws Exception {
        Instance added = watched();
        InstanceId id = added.id();
        ClusterNodeRepository slowStore = new ClusterNodeRepository(jdbc) {
            @Override
            void save(NodeRow row) {
                try {
                    Thread.sleep(40);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                super.save(row);
            }
        };
        List<TopologySync> replicas = List.of(
                new TopologySync(gateway, instances, slowStore, eventRows, Clock.systemUTC(), transactions),
                new TopologySync(gateway, instances, slowStore, eventRows, Clock.systemUTC(), transactions));
        // a replica in sync (the other tests' failovers leave a demoted primary that may still be syncing)
        int replica = syncedReplica();
        String address = "127.0.0.1:" + replica;
        Instant before = Instant.now().minusSeconds(1);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> loops = replicas.stream().map(sync -> new Thread(() -> {
            while (running.get()) {
                try {
                    sync.sync(added);
                }
                catch (RuntimeException busy) {
                    // a node refusing during the failover, or the other's lock held too long: next round
                }
                try {
                    Thread.sleep(10);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        })).toList();
        loops.forEach(Thread::start);
        try {
            cluster.failover(replica);
            await(id, t -> t.nodes().stream()
                    .anyMatch(n -> n.address().equals(address) && n.role() == ClusterTopology.Role.PRIMARY),
                    INTERVAL.multipliedBy(5));
            Thread.sleep(INTERVAL.multipliedBy(2).toMillis());
        }
        finally {
            running.set(false);
            for (Thread loop : loops) {
                loop.join(10_000);
            }
        }
        assertThat(clusters.events(id, before, 50))
                .filteredOn(e -> e.kind() == ClusterEvent.Kind.FAILOVER && address.equals(e.node())).hasSize(1);
    }

    /**
     * A replica in sync whose shard no test of this class failed over yet: the other primaries vote for one failover
     * of a shard per twice the node timeout, so a second one there would be refused.
     */
    private static int syncedReplica() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (int port : cluster.replicas()) {
                String replication = RedisCluster.cli(port, "INFO", "replication");
                java.util.regex.Matcher primary = java.util.regex.Pattern.compile("master_port:(\\d+)")
                        .matcher(replication);
                if (replication.contains("master_link_status:up") && replication.contains("master_sync_in_progress:0")
                        && primary.find() && !FAILED_OVER.contains(port)
                        && !FAILED_OVER.contains(Integer.parseInt(primary.group(1)))) {
                    FAILED_OVER.add(port);
                    FAILED_OVER.add(Integer.parseInt(primary.group(1)));
                    return port;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no replica of a shard not failed over yet is in sync");
    }

    /** The cluster, added once for the class: the same cluster cannot be added twice. */
    private Instance watched() {
        return instances.find(InstanceId.of("follow-cluster"))
                .orElseGet(() -> instances.add("follow cluster", cluster.url(0)));
    }

    private Duration await(InstanceId id, Predicate<ClusterTopology> condition, Duration limit)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(clusters.topology(id).orElseThrow())) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the topology did not change within " + limit + ": "
                + clusters.topology(id).orElseThrow());
    }
}
