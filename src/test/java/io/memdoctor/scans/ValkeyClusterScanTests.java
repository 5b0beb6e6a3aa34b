package io.memdoctor.scans;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.support.BigKeysReport;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cluster-wide scan on a Valkey 8.0.1 cluster from {@code ../shared/redis-builds/} (skipped when that binary is
 * absent): from the replicas with READONLY, per-type keys and elements equal the sum of {@code redis-cli --bigkeys}
 * on each primary.
 */
@DashboardTest
class ValkeyClusterScanTests {

    static RedisCluster cluster;
    static long keys;

    @Autowired
    ScanService scans;
    @Autowired
    InstanceService instances;

    @BeforeAll
    static void start() {
        assumeTrue(RedisCluster.build("valkey-server-8.0.1").isPresent(),
                "../shared/redis-builds/valkey-server-8.0.1 is absent: the Valkey cluster scan is not tested");
        cluster = RedisCluster.startValkey().orElseThrow();
        keys = ClusterScanTests.fill(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aScanOfEveryShardFromItsReplicaAddsUpToRedisCliOnEveryPrimary() {
        String id = instances.add("Valkey Scanned Cluster", cluster.url(0)).id().value();
        String scanId = scans.start(id, ScanParameters.defaults(), ScanSource.REPLICA).id();
        await().atMost(Duration.ofSeconds(30)).until(() -> !scans.get(scanId).running());
        ScanView scan = scans.get(scanId);

        assertThat(scan.status()).isEqualTo(ScanStatus.DONE);
        assertThat(scan.parts()).hasSize(3).allSatisfy(p -> assertThat(p.role()).isEqualTo("replica"));
        assertThat(scan.keysScanned()).isEqualTo(keys);
        assertThat(scan.results().memoryUsageAvailable()).isTrue();
        Map<String, long[]> bigkeys = new HashMap<>();
        for (int port : cluster.primaries()) {
            BigKeysReport.parse(RedisCluster.cli(port, "--bigkeys")).totals().forEach((type, t) -> {
                long[] sum = bigkeys.computeIfAbsent(type, x -> new long[2]);
                sum[0] += t.keys();
                sum[1] += t.size();
            });
        }
        bigkeys.forEach((type, sum) -> {
            if (sum[0] > 0) {
                assertThat(scan.results().byType().get(type).keys()).as(type).isEqualTo(sum[0]);
                assertThat(scan.results().byType().get(type).elements()).as(type).isEqualTo(sum[1]);
            }
        });
        assertThat(scan.results().topKeys().get(0).key()).isEqualTo("big:list");
        assertThat(scan.results().topKeys().get(0).node()).isNotNull();
    }
}
