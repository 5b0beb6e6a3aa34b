package io.memdoctor.replicas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.support.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Sampling leases on both stores: one owner per instance, renewal, takeover after expiry, hand-over, release. */
class SamplingLeasesTests {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void oneReplicaHoldsAnInstanceUntilItStopsRenewing(String vendor) throws Exception {
        try (Stores store = Stores.open(vendor)) {
            JdbcTemplate jdbc = new JdbcTemplate(store.dataSource());
            SamplingLeases a = new SamplingLeases(jdbc, "a", Duration.ofMillis(1500));
            SamplingLeases b = new SamplingLeases(jdbc, "b", Duration.ofMillis(1500));
            InstanceId cache = InstanceId.of("cache");

            assertThat(a.claim(cache)).isTrue();
            assertThat(b.claim(cache)).isFalse();
            Thread.sleep(1000);
            assertThat(a.claim(cache)).as("renewed before expiry").isTrue();
            Thread.sleep(1000);
            assertThat(b.claim(cache)).as("a renewed 1 s ago: still a's").isFalse();
            Thread.sleep(1000);
            assertThat(b.claim(cache)).as("a stopped renewing 2 s ago").isTrue();
            assertThat(a.claim(cache)).isFalse();

            assertThat(a.renew(cache)).as("renews only its own").isFalse();
            assertThat(b.renew(cache)).isTrue();
            assertThat(a.heartbeat(Duration.ofSeconds(5))).isEqualTo(1);
            assertThat(b.heartbeat(Duration.ofSeconds(5))).isEqualTo(2);
            assertThat(b.releaseAll()).isEqualTo(1);
            assertThat(a.heartbeat(Duration.ofSeconds(5))).as("b left").isEqualTo(1);
            assertThat(a.claim(cache)).as("released: free at once").isTrue();
            a.forget(cache);
            assertThat(b.claim(cache)).as("forgotten: the next claim is a first claim").isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aLeaseHandedOverStaysItsHoldersUntilItExpiresThenGoesToAnother(String vendor) throws Exception {
        try (Stores store = Stores.open(vendor)) {
            JdbcTemplate jdbc = new JdbcTemplate(store.dataSource());
            SamplingLeases a = new SamplingLeases(jdbc, "a", Duration.ofSeconds(30));
            SamplingLeases b = new SamplingLeases(jdbc, "b", Duration.ofSeconds(30));
            InstanceId cache = InstanceId.of("cache");
            assertThat(a.claim(cache)).isTrue();

            a.handOver(cache, Duration.ofMillis(500));
            // still a's for this tick: nobody else samples it in the same interval
            assertThat(b.claim(cache)).isFalse();
            Thread.sleep(700);
            assertThat(a.renew(cache)).as("handed over: not renewed by its old holder").isFalse();
            assertThat(b.claim(cache)).as("free at the next tick").isTrue();
            assertThat(a.claim(cache)).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void replicasClaimingAtTheSameMomentSplitTheInstancesWithoutOverlap(String vendor) throws Exception {
        try (Stores store = Stores.open(vendor)) {
            JdbcTemplate jdbc = new JdbcTemplate(store.dataSource());
            List<InstanceId> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add(InstanceId.of("redis-" + i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                for (int round = 0; round < 3; round++) {
                    List<Future<List<InstanceId>>> claims = new ArrayList<>();
                    for (String owner : List.of("a", "b", "c")) {
                        SamplingLeases leases = new SamplingLeases(jdbc, owner, Duration.ofSeconds(30));
                        Callable<List<InstanceId>> claim = () -> ids.stream().filter(leases::claim).toList();
                        claims.add(pool.submit(claim));
                    }
                    List<InstanceId> all = new ArrayList<>();
                    for (Future<List<InstanceId>> claim : claims) {
                        all.addAll(claim.get());
                    }
                    assertThat(all).as("round " + round).containsExactlyInAnyOrderElementsOf(ids);
                }
            }
            finally {
                pool.shutdownNow();
            }
        }
    }
}
