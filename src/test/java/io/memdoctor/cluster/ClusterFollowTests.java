package io.memdoctor.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology is read again on its own schedule (every second here), with scheduled sampling off as the test
 * profile has it: a failover ({@code CLUSTER FAILOVER} on a replica) shows in the topology within two rounds, and
 * is on the cluster's timeline; a node that joins and leaves is followed at the next round, without a restart.
 */
@SpringBootTest(properties = {"memdoctor.clusters.scheduled=true", "memdoctor.clusters.refresh=1s",
    "memdoctor.sampling.timeout=800ms"})
@ActiveProfiles("test")
@DirtiesContext
class ClusterFollowTests {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    static RedisCluster cluster;

    @Autowired
    InstanceService instances;

    @Autowired
    Clusters clusters;

    @Autowired
    MemDoctorProperties properties;

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
        int replica = cluster.replicas().get(0);
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
