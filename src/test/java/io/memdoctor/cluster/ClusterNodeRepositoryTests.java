package io.memdoctor.cluster;

import java.util.StringJoiner;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.support.BothStores;
import io.memdoctor.support.OverlappingWrites;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static io.memdoctor.cluster.ClusterStoreRows.count;
import static io.memdoctor.cluster.ClusterStoreRows.instance;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored topology on H2 and PostgreSQL with the real migrations: saved twice (insert, then update), read per
 * cluster in address order, gone with its node's or its cluster's instance row.
 */
@BothStores
class ClusterNodeRepositoryTests {

    private static final InstanceId CLUSTER = InstanceId.of("shop");

    @Parameter
    BothStores.Store store;

    private ClusterNodeRepository nodes;

    @BeforeEach
    void setUp() {
        store.clear("cluster_event", "cluster_node", "instance");
        nodes = new ClusterNodeRepository(store.jdbc());
        instance(store.jdbc(), "shop", "CLUSTER", null);
        for (String node : new String[] {"shop-1", "shop-2", "shop-3"}) {
            instance(store.jdbc(), node, "SERVER", "shop");
        }
    }

    @Test
    void aNodeSavedAgainIsUpdatedInPlace() {
        nodes.save(row("shop-1", "10.0.0.1:7000", ClusterTopology.Role.PRIMARY, null, "0-8191", false, 1_000));
        nodes.save(row("shop-1", "10.0.0.1:7000", ClusterTopology.Role.REPLICA, "10.0.0.2:7000", "", true,
                Long.MAX_VALUE));

        NodeRow read = nodes.find(InstanceId.of("shop-1")).orElseThrow();
        assertThat(read).isEqualTo(row("shop-1", "10.0.0.1:7000", ClusterTopology.Role.REPLICA, "10.0.0.2:7000", "",
                true, Long.MAX_VALUE));
        assertThat(read.slots()).as("a replica's empty slots stay empty, not null").isEmpty();
        assertThat(count(store.jdbc(), "cluster_node")).isEqualTo(1);
        assertThat(nodes.find(InstanceId.of("shop-2"))).isEmpty();
    }

    @Test
    void aClustersNodesComeInAddressOrderAndOnlyItsOwn() {
        instance(store.jdbc(), "other", "CLUSTER", null);
        instance(store.jdbc(), "other-1", "SERVER", "other");
        nodes.save(row("shop-2", "10.0.0.2:7000", ClusterTopology.Role.PRIMARY, null, "5461-10922", false, 1));
        nodes.save(row("shop-3", "[fe80::1%eth0]:7000", ClusterTopology.Role.REPLICA, "10.0.0.2:7000", "", false, 1));
        nodes.save(row("shop-1", "10.0.0.1:7000", ClusterTopology.Role.PRIMARY, null, "0-5460", false, 1));
        nodes.save(new NodeRow(InstanceId.of("other-1"), InstanceId.of("other"), null, "10.0.0.0:1",
                ClusterTopology.Role.PRIMARY, null, "0-16383", false, 1));

        assertThat(nodes.findByCluster(CLUSTER)).extracting(NodeRow::address)
                .containsExactly("10.0.0.1:7000", "10.0.0.2:7000", "[fe80::1%eth0]:7000");
        assertThat(nodes.findAll()).hasSize(4);
        assertThat(nodes.find(InstanceId.of("other-1")).orElseThrow().nodeId()).isNull();
    }

    @Test
    void removingANodesInstanceRemovesItsRowAndRemovingTheClusterRemovesAll() {
        nodes.save(row("shop-1", "10.0.0.1:7000", ClusterTopology.Role.PRIMARY, null, "0-8191", false, 1));
        nodes.save(row("shop-2", "10.0.0.2:7000", ClusterTopology.Role.PRIMARY, null, "8192-16383", false, 1));
        new ClusterEventRepository(store.jdbc()).add(CLUSTER, new ClusterEvent(java.time.Instant.EPOCH,
                ClusterEvent.Kind.DISCOVERED, null, "found"));

        store.jdbc().update("DELETE FROM instance WHERE id = 'shop-1'");
        assertThat(nodes.findByCluster(CLUSTER)).extracting(NodeRow::address).containsExactly("10.0.0.2:7000");

        store.jdbc().update("DELETE FROM instance WHERE id = 'shop'");
        assertThat(count(store.jdbc(), "cluster_node")).as("the cluster's nodes cascade").isZero();
        assertThat(count(store.jdbc(), "cluster_event")).as("the cluster's events cascade").isZero();
    }

    /**
     * The slots of a primary as the cluster lists them: contiguous slots are one range, so a primary that owns every
     * other slot (a migration stopped half way, or slots assigned one by one) has 8,192 ranges, 47,000 characters.
     * The column held 20,000 and the INSERT failed on both stores, so such a cluster's topology was never stored
     * (V22 widens it).
     */
    @Test
    void thePrimaryOfAFragmentedClusterIsStoredWithAllItsSlots() {
        StringJoiner everyOther = new StringJoiner(",");
        StringJoiner theRest = new StringJoiner(",");
        for (int slot = 0; slot < Slots.TOTAL; slot += 2) {
            everyOther.add(Integer.toString(slot));
            theRest.add(Integer.toString(slot + 1));
        }
        nodes.save(row("shop-1", "10.0.0.1:7000", ClusterTopology.Role.PRIMARY, null, everyOther.toString(), false,
                1));
        nodes.save(row("shop-2", "10.0.0.2:7000", ClusterTopology.Role.PRIMARY, null, theRest.toString(), false, 1));

        assertThat(nodes.findByCluster(CLUSTER)).extracting(NodeRow::slots)
                .containsExactly(everyOther.toString(), theRest.toString());
        assertThat(Slots.count(nodes.find(InstanceId.of("shop-1")).orElseThrow().slots())).isEqualTo(8192);
        assertThat(store.jdbc().queryForObject("SELECT is_nullable FROM information_schema.columns"
                + " WHERE LOWER(table_name) = 'cluster_node' AND LOWER(column_name) = 'slots'", String.class))
                .as("still NOT NULL").isEqualTo("NO");
    }

    /**
     * Two replicas storing a new node's row at the same moment (each follows the cluster on its own schedule), each
     * in its transaction: the second's row meets the first's and must replace it rather than fail.
     */
    @Test
    void twoReplicasStoringTheSameNewNodeAtOnceBothSucceed() throws Exception {
        NodeRow first = row("shop-1", "10.0.0.1:7000", ClusterTopology.Role.PRIMARY, null, "0-8191", false, 1);
        NodeRow second = row("shop-1", "10.0.0.1:7000", ClusterTopology.Role.PRIMARY, null, "0-8192", false, 2);
        OverlappingWrites.run(new DataSourceTransactionManager(store.dataSource()), () -> nodes.save(first),
                () -> nodes.save(second));
        assertThat(nodes.findByCluster(CLUSTER)).singleElement().extracting(NodeRow::slots).isIn("0-8191", "0-8192");
    }

    private static NodeRow row(String id, String address, ClusterTopology.Role role, String primary, String slots,
            boolean failed, long updatedAt) {
        return new NodeRow(InstanceId.of(id), CLUSTER, "07c37dfeb235213a872192d90877d0cd55635b91", address, role,
                primary, slots, failed, updatedAt);
    }
}
