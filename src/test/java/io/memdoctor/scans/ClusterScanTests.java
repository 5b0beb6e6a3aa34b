package io.memdoctor.scans;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.cluster.SlotHash;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanPart;
import io.memdoctor.scans.store.ScanRecord;
import io.memdoctor.scans.store.ScanRepository;
import io.memdoctor.simulator.LocalRedisServer;
import io.memdoctor.support.BigKeysReport;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisCluster;
import io.memdoctor.support.RedisPipe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A cluster-wide scan on a real cluster (3 primaries, 3 replicas, keys on every shard): its per-type counts and
 * element totals equal the sum of {@code redis-cli --bigkeys} (and bytes of {@code --memkeys}) run on each primary;
 * from the replicas (READONLY) it finds the same; cancel stops every node, also one asked through the store by another
 * dashboard replica, which sees every node's progress there; a node killed mid-scan leaves a FAILED
 * part while the others' results are kept. The kill comes last: it leaves the cluster short of a node.
 */
@DashboardTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterScanTests {

    static RedisCluster cluster;
    static long keys;

    @Autowired
    ScanService scans;
    @Autowired
    InstanceService instances;
    @Autowired
    MockMvc mvc;
    @Autowired
    io.memdoctor.sampling.Sampler sampler;
    @Autowired
    io.memdoctor.cluster.Clusters clusters;
    @Autowired
    ScanRepository repository;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        keys = fill(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Strings, lists, hashes, sets and zsets on every shard, each key written to the primary that owns its slot, plus
     * one big list; then waits until every replica holds as many keys as its primary.
     */
    static long fill(RedisCluster cluster) {
        Map<Integer, List<int[]>> owners = slotOwners(cluster);
        Map<Integer, RedisPipe> pipes = new HashMap<>();
        owners.keySet().forEach(port -> pipes.put(port, RedisPipe.to(port)));
        long count = 0;
        for (int i = 0; i < 1500; i++) {
            String key = "user:" + i + ":name";
            pipes.get(owner(owners, key)).command("SET", key, "x".repeat(10 + i % 50));
            count++;
        }
        for (int i = 0; i < 300; i++) {
            int n = i;
            String list = "feed:" + i;
            pipes.get(owner(owners, list)).fill("RPUSH", list, 1 + i % 40, 1, e -> new String[] {"item" + e});
            String hash = "cart:" + i;
            pipes.get(owner(owners, hash)).fill("HSET", hash, 1 + i % 20, 2, e -> new String[] {"f" + e, "v" + n});
            String set = "tags:" + i;
            pipes.get(owner(owners, set)).fill("SADD", set, 1 + i % 10, 1, e -> new String[] {"t" + e});
            String zset = "rank:" + i;
            pipes.get(owner(owners, zset)).fill("ZADD", zset, 1 + i % 15, 2, e -> new String[] {"" + e, "m" + e});
            count += 4;
        }
        pipes.get(owner(owners, "big:list")).fill("RPUSH", "big:list", 5000, 1, e -> new String[] {"event-" + e});
        count++;
        pipes.values().forEach(RedisPipe::close);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            long onReplicas = 0;
            for (int port : cluster.replicas()) {
                onReplicas += Long.parseLong(RedisCluster.cli(port, "DBSIZE").strip());
            }
            return onReplicas == keysOnPrimaries(cluster);
        });
        assertThat(keysOnPrimaries(cluster)).isEqualTo(count);
        return count;
    }

    static long keysOnPrimaries(RedisCluster cluster) {
        long sum = 0;
        for (int port : cluster.primaries()) {
            sum += Long.parseLong(RedisCluster.cli(port, "DBSIZE").strip());
        }
        return sum;
    }

    /** Per primary's port, the slot ranges it serves (CLUSTER NODES). */
    static Map<Integer, List<int[]>> slotOwners(RedisCluster cluster) {
        Map<Integer, List<int[]>> owners = new LinkedHashMap<>();
        for (String line : RedisCluster.cli(cluster.port(0), "CLUSTER", "NODES").split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length < 9 || !f[2].contains("master")) {
                continue;
            }
            String address = f[1].split("@")[0];
            List<int[]> ranges = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                String[] r = f[i].split("-");
                ranges.add(new int[] {Integer.parseInt(r[0]), Integer.parseInt(r.length > 1 ? r[1] : r[0])});
            }
            owners.put(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)), ranges);
        }
        return owners;
    }

    static int owner(Map<Integer, List<int[]>> owners, String key) {
        int slot = SlotHash.getSlot(key);
        return owners.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(r -> slot >= r[0] && slot <= r[1]))
                .findFirst().orElseThrow().getKey();
    }

    private String clusterId() {
        String name = "Scanned Cluster";
        if (instances.findAll().stream().noneMatch(i -> i.name().equals(name))) {
            instances.add(name, cluster.url(0));
        }
        return instances.findAll().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow().id().value();
    }

    private ScanView run(String id, ScanParameters parameters, ScanSource from) {
        String scanId = scans.start(id, parameters, from).id();
        await().atMost(Duration.ofSeconds(30)).until(() -> !scans.get(scanId).running());
        return scans.get(scanId);
    }

    @Test
    @Order(1)
    void aClusterScanAddsUpToRedisCliOnEveryPrimary() throws Exception {
        String id = clusterId();
        ScanView scan = run(id, ScanParameters.defaults(), ScanSource.PRIMARY);

        assertThat(scan.status()).isEqualTo(ScanStatus.DONE);
        assertThat(scan.cluster()).isTrue();
        assertThat(scan.parts()).hasSize(3).allSatisfy(p -> {
            assertThat(p.role()).isEqualTo("primary");
            assertThat(p.status()).isEqualTo(ScanStatus.DONE);
        });
        assertThat(scan.parts()).extracting(ScanPart::node).containsExactlyInAnyOrderElementsOf(
                cluster.primaries().stream().map(p -> "127.0.0.1:" + p).toList());
        assertThat(scan.keysScanned()).isEqualTo(keys);
        assertThat(scan.results().keys()).isEqualTo(keys);
        assertThat(scan.parts().stream().mapToLong(ScanPart::keys).sum()).isEqualTo(keys);

        Map<String, long[]> bigkeys = new HashMap<>();
        Map<String, Long> memkeys = new HashMap<>();
        for (int port : cluster.primaries()) {
            BigKeysReport elements = BigKeysReport.parse(RedisCluster.cli(port, "--bigkeys"));
            elements.totals().entrySet().stream().filter(e -> e.getValue().keys() > 0).forEach(e -> {
                String type = e.getKey();
                BigKeysReport.Totals t = e.getValue();
                long[] sum = bigkeys.computeIfAbsent(type, x -> new long[2]);
                sum[0] += t.keys();
                sum[1] += t.size();
            });
            BigKeysReport bytes = BigKeysReport.parse(RedisCluster.cli(port, "--memkeys"));
            bytes.totals().forEach((type, t) -> memkeys.merge(type, t.size(), Long::sum));
            assertThat(bytes.totals().values().stream().mapToLong(BigKeysReport.Totals::size).sum()).isPositive();
        }
        assertThat(bigkeys.keySet()).containsExactlyInAnyOrder("string", "list", "hash", "set", "zset");
        for (Map.Entry<String, long[]> type : bigkeys.entrySet()) {
            ScanResults.TypeTotals ours = scan.results().byType().get(type.getKey());
            assertThat(ours.keys()).as(type.getKey() + " keys").isEqualTo(type.getValue()[0]);
            assertThat(ours.elements()).as(type.getKey() + " elements").isEqualTo(type.getValue()[1]);
            assertThat(ours.bytes()).as(type.getKey() + " bytes").isEqualTo(memkeys.get(type.getKey()));
        }
        ScanResults.KeyEntry top = scan.results().topKeys().get(0);
        assertThat(top.key()).isEqualTo("big:list");
        assertThat(top.node()).isEqualTo("127.0.0.1:" + cluster.primaryOf("big:list"));
        assertThat(scan.results().topKeys()).allSatisfy(k -> assertThat(k.node()).isEqualTo(
                "127.0.0.1:" + cluster.primaryOf(k.key())));

        mvc.perform(get("/api/scans/" + scan.id()))
                .andExpect(jsonPath("$.cluster").value(true))
                .andExpect(jsonPath("$.parts.length()").value(3))
                .andExpect(jsonPath("$.topKeys[0].node").value(top.node()))
                .andExpect(jsonPath("$.keysScanned").value(keys));
        mvc.perform(get("/scans/" + scan.id()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Per shard")))
                .andExpect(content().string(containsString(top.node())));
    }

    @Test
    @Order(2)
    void fromTheReplicasWithReadOnlyItFindsTheSameAndComparesWithAPrimaryScan() throws Exception {
        String id = clusterId();
        // each replica as its primary's INFO replication gives it (a replica's own INFO has no lag of its own)
        String replicaList = mvc.perform(get("/api/instances/" + id + "/replicas")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        List<Map<String, Object>> listed = com.jayway.jsonpath.JsonPath.read(replicaList, "$");
        assertThat(listed).extracting(r -> r.get("address")).containsExactlyInAnyOrderElementsOf(
                cluster.replicas().stream().map(p -> "127.0.0.1:" + p).toList());
        assertThat(listed).allSatisfy(r -> {
            assertThat(r.get("state")).isEqualTo("online");
            assertThat(((Number) r.get("lagSeconds")).longValue()).isBetween(0L, 5L);
            assertThat(((Number) r.get("offset")).longValue()).isPositive();
        });
        ScanView primaries = run(id, ScanParameters.defaults(), ScanSource.PRIMARY);
        ScanView replicas = run(id, ScanParameters.defaults(), ScanSource.REPLICA);

        assertThat(replicas.status()).isEqualTo(ScanStatus.DONE);
        assertThat(replicas.from()).isEqualTo("replica");
        assertThat(replicas.parts()).hasSize(3).allSatisfy(p -> {
            assertThat(p.role()).isEqualTo("replica");
            assertThat(p.primary()).isNotNull();
        });
        assertThat(replicas.parts()).extracting(ScanPart::node).containsExactlyInAnyOrderElementsOf(
                cluster.replicas().stream().map(p -> "127.0.0.1:" + p).toList());
        assertThat(replicas.results().keys()).isEqualTo(keys);
        // keys and elements per type are the same; bytes may not be (a replica loaded from an RDB can encode a set
        // more compactly than the primary that grew it)
        primaries.results().byType().forEach((type, t) -> {
            assertThat(replicas.results().byType().get(type).keys()).isEqualTo(t.keys());
            assertThat(replicas.results().byType().get(type).elements()).isEqualTo(t.elements());
        });
        for (int port : cluster.replicas()) {
            assertThat(RedisCluster.cli(port, "INFO", "commandstats")).contains("cmdstat_readonly:");
        }

        ScanComparison comparison = scans.compare(primaries.id(), replicas.id());
        assertThat(comparison.total().keys().change()).isZero();
        assertThat(comparison.total().bytes().before()).isPositive();
        assertThat(comparison.topKeys()).filteredOn(k -> k.key().equals("big:list")).singleElement()
                .satisfies(k -> assertThat(k.elements().change()).isZero());
    }

    @Test
    @Order(3)
    void aCancelStopsEveryNode() throws Exception {
        String id = clusterId();
        String scanId = scans.start(id, ScanParameters.of(null, null, null, null, null, 300, null), null).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> scans.get(scanId).parts().stream()
                .allMatch(p -> p.keysScanned() > 0));

        mvc.perform(delete("/api/scans/" + scanId))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"));
        ScanView cancelled = scans.get(scanId);
        assertThat(cancelled.parts()).hasSize(3)
                .allSatisfy(p -> assertThat(p.status()).isEqualTo(ScanStatus.CANCELLED));
        assertThat(cancelled.keysScanned()).isLessThan(keys);
        assertThat(cancelled.results().keys()).isEqualTo(cancelled.keysScanned());
    }

    /**
     * What another dashboard replica sees and does: it reads the scan from the store (it does not run it), so every
     * node's progress must reach the scan's parts there, and its cancel goes through the row.
     */
    @Test
    @Order(4)
    void anotherReplicaSeesEveryNodesProgressInTheStoreAndItsCancelStopsEveryNode() {
        String id = clusterId();
        String scanId = scans.start(id, ScanParameters.of(null, null, 100, null, null, 100, null), null).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(scanId).parts().size() == 3
                && stored(scanId).parts().stream().allMatch(p -> p.keysScanned() > 0));
        ScanRecord seen = stored(scanId);
        assertThat(seen.status()).isEqualTo(ScanStatus.RUNNING);
        assertThat(seen.parts()).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(ScanStatus.RUNNING);
            assertThat(p.keysTotal()).isPositive();
        });
        assertThat(seen.keysScanned()).isPositive();

        assertThat(repository.requestCancel(scanId)).isPresent();
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(scanId).status() != ScanStatus.RUNNING);
        ScanRecord cancelled = stored(scanId);
        assertThat(cancelled.status()).isEqualTo(ScanStatus.CANCELLED);
        assertThat(cancelled.parts()).hasSize(3)
                .allSatisfy(p -> assertThat(p.status()).isEqualTo(ScanStatus.CANCELLED));
        assertThat(cancelled.keysScanned()).isLessThan(keys);
    }

    private ScanRecord stored(String scanId) {
        return repository.find(scanId).orElseThrow();
    }

    @Test
    @Order(5)
    void aNodeKilledMidScanLeavesAFailedPartAndTheOthersResults() {
        String id = clusterId();
        String scanId = scans.start(id, ScanParameters.of(null, null, 100, null, null, 300, null),
                ScanSource.REPLICA).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> scans.get(scanId).parts().stream()
                .allMatch(p -> p.keysScanned() > 0));
        String victim = scans.get(scanId).parts().get(0).node();
        LocalRedisServer server = cluster.servers().stream()
                .filter(s -> victim.equals("127.0.0.1:" + s.port())).findFirst().orElseThrow();
        server.kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> !scans.get(scanId).running());

        ScanView scan = scans.get(scanId);
        assertThat(scan.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(scan.error()).contains(victim).contains("1 of 3 nodes failed");
        assertThat(scan.parts().get(0).status()).isEqualTo(ScanStatus.FAILED);
        assertThat(scan.parts().get(0).error()).isNotBlank();
        assertThat(scan.parts().subList(1, 3)).allSatisfy(p -> assertThat(p.status()).isEqualTo(ScanStatus.DONE));
        long othersKeys = scan.parts().get(1).keys() + scan.parts().get(2).keys();
        assertThat(scan.results().keys()).isGreaterThanOrEqualTo(othersKeys).isLessThan(keys);
        assertThat(scan.results().topKeys()).anySatisfy(k -> assertThat(k.node()).isNotEqualTo(victim));
    }

    @Test
    @Order(6)
    void fromTheReplicasAShardWhoseReplicaIsDownIsScannedOnItsPrimary() throws Exception {
        String id = clusterId();
        LocalRedisServer dead = cluster.servers().stream().filter(s -> !s.isAlive()).findFirst().orElseThrow();
        String down = "127.0.0.1:" + dead.port();
        String listed = mvc.perform(get("/api/instances/" + id + "/replicas")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        List<Map<String, Object>> replicas = com.jayway.jsonpath.JsonPath.read(listed, "$");
        // its primary answers and no longer lists it
        assertThat(replicas).filteredOn(r -> down.equals(r.get("address"))).singleElement()
                .satisfies(r -> assertThat(r.get("state")).isEqualTo("disconnected"));
        assertThat(replicas).filteredOn(r -> !down.equals(r.get("address")))
                .allSatisfy(r -> assertThat(r.get("state")).isEqualTo("online"));

        ScanView scan = run(id, ScanParameters.defaults(), ScanSource.REPLICA);
        assertThat(scan.status()).isEqualTo(ScanStatus.DONE);
        assertThat(scan.parts()).hasSize(3).extracting(ScanPart::node).doesNotContain(down);
        assertThat(scan.parts()).filteredOn(p -> "primary".equals(p.role())).singleElement()
                .satisfies(p -> assertThat(cluster.primaries()).contains(Integer.parseInt(p.node().split(":")[1])));
        assertThat(scan.results().keys()).isEqualTo(keys);
    }

    /**
     * With scheduled topology reads off (the test profile), a failover is followed as soon as the promoted node is
     * sampled: its sample shows another role than the stored one.
     */
    @Test
    @Order(7)
    void aFailoverIsFollowedAtTheNextSampleOfTheNode() throws Exception {
        String id = clusterId();
        int promoted = cluster.replicas().stream().filter(p -> cluster.servers().stream()
                .anyMatch(s -> s.port() == p && s.isAlive())).findFirst().orElseThrow();
        String address = "127.0.0.1:" + promoted;
        cluster.failover(promoted);
        io.memdoctor.instances.Instance node = instances.nodes(io.memdoctor.instances.InstanceId.of(id)).stream()
                .filter(n -> n.url().port() == promoted).findFirst().orElseThrow();
        assertThat(sampler.sample(node).isOk()).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> clusters.topology(io.memdoctor.instances.InstanceId.of(id))
                .orElseThrow().nodes().stream().anyMatch(n -> n.address().equals(address)
                        && n.role() == io.memdoctor.cluster.ClusterTopology.Role.PRIMARY));
        assertThat(clusters.events(io.memdoctor.instances.InstanceId.of(id), java.time.Instant.now().minusSeconds(30),
                20)).anyMatch(e -> e.kind() == io.memdoctor.cluster.ClusterEvent.Kind.FAILOVER
                        && address.equals(e.node()));
    }
}
