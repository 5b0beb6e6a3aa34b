package io.memdoctor.alerts.channels;

import java.time.Instant;

import io.memdoctor.support.BothStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries on H2 and PostgreSQL with the real migrations: queued, retried with their error, delivered, listed
 * newest first ({@link DeliveryClaimsTests} has the claims of several replicas).
 */
@BothStores
class DeliveryRepositoryTests {

    /** Not a whole millisecond: the store keeps epoch milliseconds. */
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00.000999Z");
    private static final Instant NOW_MS = Instant.parse("2026-01-01T10:00:00Z");

    @Parameter
    BothStores.Store store;

    private DeliveryRepository deliveries;

    @BeforeEach
    void setUp() {
        store.clear("alert_delivery");
        deliveries = new DeliveryRepository(store.jdbc());
    }

    @Test
    void aQueuedDeliveryIsDueThenRetriedWithItsErrorThenDelivered() {
        deliveries.queue("Équipe \"ops\" 'night' ✓", "cache", 7, "FIRING", NOW);
        Delivery queued = deliveries.recent(1).get(0);
        assertThat(queued).isEqualTo(new Delivery(queued.id(), "Équipe \"ops\" 'night' ✓", "cache", 7, "FIRING",
                "PENDING", 0, NOW_MS, NOW_MS, null, null));
        assertThat(deliveries.due(NOW)).containsExactly(queued);

        String error = "HTTP 503 " + "é".repeat(600);
        deliveries.failed(queued.id(), "RETRYING", NOW.plusSeconds(5), error);
        assertThat(deliveries.due(NOW.plusMillis(4999))).as("not before its retry").isEmpty();
        Delivery retrying = deliveries.due(NOW.plusSeconds(5)).get(0);
        assertThat(retrying.status()).isEqualTo("RETRYING");
        assertThat(retrying.attempts()).isEqualTo(1);
        assertThat(retrying.lastError()).hasSize(500).startsWith("HTTP 503 é").endsWith("…");

        deliveries.delivered(queued.id(), NOW.plusSeconds(6));
        Delivery delivered = deliveries.recent(1).get(0);
        assertThat(delivered.status()).isEqualTo("DELIVERED");
        assertThat(delivered.attempts()).isEqualTo(2);
        assertThat(delivered.deliveredAt()).isEqualTo(NOW_MS.plusSeconds(6));
        assertThat(delivered.lastError()).as("cleared").isNull();
        assertThat(deliveries.due(NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void dueIsOldestFirstWithoutTheEndedOnesAndRecentIsNewestFirst() {
        for (int i = 0; i < 5; i++) {
            deliveries.queue("ops", "cache-" + i, i, i % 2 == 0 ? "FIRING" : "RESOLVED", NOW.plusSeconds(i));
        }
        var all = deliveries.recent(10);
        assertThat(all).extracting(Delivery::alertId).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(deliveries.recent(2)).extracting(Delivery::alertId).containsExactly(4L, 3L);
        deliveries.failed(all.get(4).id(), "FAILED", NOW, "given up");
        deliveries.delivered(all.get(3).id(), NOW);
        assertThat(deliveries.due(NOW.plusSeconds(2))).extracting(Delivery::alertId).containsExactly(2L);
        assertThat(deliveries.due(NOW.plusSeconds(10))).extracting(Delivery::alertId).containsExactly(2L, 3L, 4L);
    }
}
