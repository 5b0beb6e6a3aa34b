package io.memdoctor.alerts.channels;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.memdoctor.support.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries claimed on both stores: several dashboard replicas dispatching at the same moment read the same due
 * rows, and each row goes to exactly one of them; a claim its replica never ended (it died while sending) is due
 * again once it lapses.
 */
class DeliveryClaimsTests {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void replicasDispatchingAtOnceSendEachDeliveryOnce(String vendor) throws Exception {
        try (Stores store = Stores.open(vendor)) {
            DeliveryRepository deliveries = new DeliveryRepository(new JdbcTemplate(store.dataSource()));
            for (int i = 0; i < 60; i++) {
                deliveries.queue("ops", "cache-" + i % 6, i, "FIRING", NOW);
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<List<Long>>> dispatchers = new ArrayList<>();
                for (int replica = 0; replica < 3; replica++) {
                    Callable<List<Long>> dispatch = () -> deliveries.due(NOW).stream()
                            .filter(d -> deliveries.claim(d.id(), NOW, NOW.plusSeconds(60))).map(Delivery::id)
                            .toList();
                    dispatchers.add(pool.submit(dispatch));
                }
                List<Long> sent = new ArrayList<>();
                for (Future<List<Long>> dispatcher : dispatchers) {
                    sent.addAll(dispatcher.get());
                }
                assertThat(sent).as("every delivery claimed by exactly one replica").hasSize(60).doesNotHaveDuplicates();
            }
            finally {
                pool.shutdownNow();
            }
            assertThat(deliveries.due(NOW)).as("claimed: not due for the others").isEmpty();
            assertThat(deliveries.recent(100)).allSatisfy(d -> assertThat(d.status()).isEqualTo("SENDING"));

            List<Delivery> lapsed = deliveries.due(NOW.plusSeconds(60));
            assertThat(lapsed).as("a claim never ended (its replica died) is due again once it lapses").hasSize(60);
            long first = lapsed.get(0).id();
            deliveries.delivered(first, NOW.plusSeconds(61));
            assertThat(deliveries.claim(first, NOW.plusSeconds(61), NOW.plusSeconds(121))).as("delivered").isFalse();
            long second = lapsed.get(1).id();
            assertThat(deliveries.claim(second, NOW.plusSeconds(61), NOW.plusSeconds(121))).isTrue();
            assertThat(deliveries.claim(second, NOW.plusSeconds(62), NOW.plusSeconds(122))).as("claimed again")
                    .isFalse();
            deliveries.failed(second, "RETRYING", NOW.plusSeconds(66), "HTTP 503");
            assertThat(deliveries.due(NOW.plusSeconds(66))).extracting(Delivery::id).contains(second)
                    .doesNotContain(first);
        }
    }
}
