package io.memdoctor.cluster;

import java.time.Instant;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.support.BothStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import static io.memdoctor.cluster.ClusterStoreRows.instance;
import static org.assertj.core.api.Assertions.assertThat;

/** A cluster's timeline on H2 and PostgreSQL with the real migrations: newest first, since, limited, per cluster. */
@BothStores
class ClusterEventRepositoryTests {

    private static final InstanceId SHOP = InstanceId.of("shop");
    private static final InstanceId OTHER = InstanceId.of("other");
    /** Not a whole millisecond: the store keeps epoch milliseconds. */
    private static final Instant T0 = Instant.parse("2026-03-08T09:59:59.999500Z");

    @Parameter
    BothStores.Store store;

    private ClusterEventRepository events;

    @BeforeEach
    void setUp() {
        store.clear("cluster_event", "cluster_node", "instance");
        instance(store.jdbc(), "shop", "CLUSTER", null);
        instance(store.jdbc(), "other", "CLUSTER", null);
        events = new ClusterEventRepository(store.jdbc());
    }

    @Test
    void eventsAreReadBackNewestFirstThenLastAddedFirst() {
        String detail = "10.0.0.2:7000 \"replica\" of 'a' took over\nnode ✓ 🔁; DROP TABLE cluster_event; --";
        events.add(SHOP, new ClusterEvent(T0, ClusterEvent.Kind.DISCOVERED, null, "3 primaries"));
        events.add(SHOP, new ClusterEvent(T0.plusSeconds(60), ClusterEvent.Kind.NODE_FAILED, "10.0.0.1:7000", "a"));
        events.add(SHOP, new ClusterEvent(T0.plusSeconds(60), ClusterEvent.Kind.FAILOVER, "10.0.0.2:7000", detail));
        events.add(OTHER, new ClusterEvent(T0.plusSeconds(90), ClusterEvent.Kind.RESHARD, "10.0.0.9:7000", "b"));

        assertThat(events.recent(SHOP, Instant.EPOCH, 10)).containsExactly(
                new ClusterEvent(Instant.parse("2026-03-08T10:00:59.999Z"), ClusterEvent.Kind.FAILOVER,
                        "10.0.0.2:7000", detail),
                new ClusterEvent(Instant.parse("2026-03-08T10:00:59.999Z"), ClusterEvent.Kind.NODE_FAILED,
                        "10.0.0.1:7000", "a"),
                new ClusterEvent(Instant.parse("2026-03-08T09:59:59.999Z"), ClusterEvent.Kind.DISCOVERED, null,
                        "3 primaries"));
        assertThat(events.recent(SHOP, Instant.EPOCH, 1)).extracting(ClusterEvent::kind)
                .containsExactly(ClusterEvent.Kind.FAILOVER);
        assertThat(events.recent(SHOP, Instant.parse("2026-03-08T10:00:59.999Z"), 10)).as("since is inclusive")
                .hasSize(2);
        assertThat(events.recent(SHOP, Instant.parse("2026-03-08T10:01:00Z"), 10)).isEmpty();
        assertThat(events.recent(OTHER, Instant.EPOCH, 10)).extracting(ClusterEvent::kind)
                .containsExactly(ClusterEvent.Kind.RESHARD);
    }

    @Test
    void aLongDetailIsCutToItsColumnWithoutSplittingACharacter() {
        events.add(SHOP, new ClusterEvent(T0, ClusterEvent.Kind.RESHARD, "n", "x".repeat(999) + "🔁 and more"));
        events.add(SHOP, new ClusterEvent(T0.minusSeconds(1), ClusterEvent.Kind.RESHARD, "n", "é".repeat(5000)));
        assertThat(events.recent(SHOP, Instant.EPOCH, 10)).extracting(ClusterEvent::detail)
                .containsExactly("x".repeat(999), "é".repeat(1000));
    }
}
