package io.memdoctor.cluster;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.format.Units;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A real cluster as Kubernetes runs one: maxmemory 0 on every node under a declared memory limit (the pods'), about
 * three times what a node uses empty. One shard filled to over 90 % of its limit while the others stay near a third:
 * the page, its JSON and the overview's card measure against the limits, and the near-full shard rule fires naming
 * the limit. A limit declared on one node alone is reported as differing.
 */
@DashboardTest
@SuppressWarnings("unchecked")
class ClusterMemoryLimitTests {

    static RedisCluster cluster;
    static int fullShard;
    static long limit;

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        long largest = cluster.primaries().stream().mapToLong(ClusterMemoryLimitTests::used).max().orElseThrow();
        long mib = 1024 * 1024;
        limit = (3 * largest + mib - 1) / mib * mib;
        fullShard = cluster.primaryOf("{a}");
        // strings of 60,000 bytes under one hash tag, all in one slot, until the shard is past 93 % of its limit
        int next = 0;
        while (used(fullShard) < 0.93 * limit) {
            int count = (int) Math.max(1, (0.95 * limit - used(fullShard)) / (2 * 65536));
            RedisCluster.cli(fullShard, "EVAL", "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do redis.call('SET',"
                    + " KEYS[1] .. ':' .. i, string.rep('x', 60000)) end return 1", "1", "{a}",
                    String.valueOf(next), String.valueOf(next + count - 1));
            next += count;
        }
        assertThat(used(fullShard)).as("used memory of the filled shard").isLessThan(limit);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aShardNearItsDeclaredLimitIsMeasuredAndFlagged() throws Exception {
        Instance added = watched();
        sampleAll(added);
        String shard = "127.0.0.1:" + fullShard;
        String limitText = Units.bytes(limit) + " memory limit (declared)";

        String body = mvc.perform(get("/api/clusters/k8s-cluster")).andExpect(status().isOk())
                .andExpect(jsonPath("$.maxmemory").doesNotExist())
                .andExpect(jsonPath("$.capacity").value(3 * limit))
                .andExpect(jsonPath("$.capacityKind").value("memory-limit"))
                .andExpect(jsonPath("$.fullestShard").value(shard))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-shard-near-maxmemory')].title").value(hasItem(
                        "Shard " + shard + " is near its memory limit (declared) while the others are not")))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-shard-near-maxmemory')].evidence").value(hasItem(
                        containsString(shard + " uses "))))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-shard-near-maxmemory')].evidence").value(hasItem(
                        containsString("of its " + limitText))))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-settings-differ')].severity").value(hasItem("OK")))
                .andReturn().getResponse().getContentAsString();
        // the fill is the shard's own used_memory (INFO) over the limit, and the others are far from theirs
        double fill = ((Number) JsonPath.read(body, "$.fullestFill")).doubleValue();
        long sampled = ((List<Number>) JsonPath.read(body, "$.nodes[?(@.address == '" + shard + "')].usedMemory"))
                .get(0).longValue();
        assertThat(fill).isBetween(ShardRules.NEAR_FULL, 1.0).isCloseTo(sampled / (double) limit,
                org.assertj.core.data.Offset.offset(1e-9));
        List<Number> fills = JsonPath.read(body, "$.nodes[?(@.role == 'PRIMARY' && @.address != '" + shard
                + "')].fill");
        assertThat(fills).hasSize(2).allSatisfy(f -> assertThat(f.doubleValue()).isLessThan(ShardRules.OTHERS_ROOMY));
        assertThat((List<String>) JsonPath.read(body, "$.nodes[*].ceiling")).hasSize(6).containsOnly("memory-limit");
        assertThat((List<Number>) JsonPath.read(body, "$.nodes[*].memoryLimit")).hasSize(6)
                .allSatisfy(l -> assertThat(l.longValue()).isEqualTo(limit));
        System.out.printf("Cluster under a %s limit per node: shard %s at %.1f %% of it, the others at %s%n",
                Units.bytes(limit), shard, fill * 100, fills);
        String severity = fill >= 0.98 ? "CRITICAL" : "WARNING";
        assertThat((List<String>) JsonPath.read(body, "$.findings[?(@.id == 'cluster-shard-near-maxmemory')].severity"))
                .containsExactly(severity);

        String percent = Math.round(fill * 100) + "";
        mvc.perform(get("/clusters/k8s-cluster").header("HX-Request", "true")).andExpect(status().isOk())
                .andExpect(content().string(containsString(Units.bytes(3 * limit) + " (memory limit, declared)")))
                .andExpect(content().string(containsString("data-capacity-kind=\"memory-limit\"")))
                .andExpect(content().string(containsString("of its memory limit</span>")))
                .andExpect(content().string(containsString("near its memory limit (declared)")))
                .andExpect(content().string(containsString("title=\"of its " + limitText + "\"")))
                .andExpect(content().string(containsString(">" + percent + "%</td>")));

        // the overview's card: its bar against the limits, full because its fullest shard is
        mvc.perform(get("/")).andExpect(status().isOk())
                .andExpect(content().string(containsString("data-cluster=\"k8s-cluster\"")))
                .andExpect(content().string(containsString("(<span>memory limit, declared</span>)")))
                .andExpect(content().string(containsString(percent + "% of its memory limit\"")));
        mvc.perform(get("/api/overview")).andExpect(status().isOk())
                .andExpect(content().string(containsString("\"capacity\":" + 3 * limit
                        + ",\"capacityKind\":\"memory-limit\",\"capacityLabel\":\"memory limit, declared\"")))
                .andExpect(jsonPath("$..[?(@.id == 'k8s-cluster')].ceiling").value(hasItem("memory-limit")))
                .andExpect(jsonPath("$..[?(@.id == 'k8s-cluster')].attention").value(hasItem("FULL")));
    }

    @Test
    void aLimitDeclaredOnOneNodeAloneIsReportedAsDiffering() throws Exception {
        Instance added = watched();
        sampleAll(added);
        int replica = cluster.replicas().get(0);
        String address = "127.0.0.1:" + replica;
        String node = ((List<String>) JsonPath.read(mvc.perform(get("/api/clusters/k8s-cluster")).andReturn()
                .getResponse().getContentAsString(), "$.nodes[?(@.address == '" + address + "')].instanceId")).get(0);
        mvc.perform(put("/api/instances/" + node + "/memory-limit").contentType(MediaType.APPLICATION_JSON)
                .content("{\"memoryLimit\":" + 2 * limit + "}")).andExpect(status().isOk());
        try {
            mvc.perform(get("/api/clusters/k8s-cluster"))
                    .andExpect(jsonPath("$.findings[?(@.id == 'cluster-settings-differ')].severity").value(hasItem("WARNING")))
                    .andExpect(jsonPath("$.findings[?(@.id == 'cluster-settings-differ')].title")
                            .value(hasItem("The declared memory limit differs between nodes")))
                    .andExpect(jsonPath("$.findings[?(@.id == 'cluster-settings-differ')].evidence")
                            .value(hasItem(containsString(Units.bytes(2 * limit) + " on " + address))));
        }
        finally {
            mvc.perform(put("/api/instances/" + node + "/memory-limit").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"memoryLimit\":" + limit + "}")).andExpect(status().isOk());
        }
    }

    /** The cluster, added once for the class with its pods' memory limit. */
    private Instance watched() throws Exception {
        if (instances.find(InstanceId.of("k8s-cluster")).isEmpty()) {
            mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"k8s"
                            + " cluster\",\"url\":\"" + cluster.url(0) + "\",\"memoryLimit\":" + limit + "}"))
                    .andExpect(status().isCreated()).andExpect(jsonPath("$.memoryLimit").value(limit));
        }
        return instances.find(InstanceId.of("k8s-cluster")).orElseThrow();
    }

    private void sampleAll(Instance cluster) {
        List<Instance> nodes = instances.nodes(cluster.id());
        assertThat(nodes).hasSize(6);
        for (Instance node : nodes) {
            assertThat(sampler.sample(node).isOk()).as("sample of %s", node.id()).isTrue();
        }
    }

    private static long used(int port) {
        return RedisCluster.cli(port, "INFO", "memory").lines().filter(l -> l.startsWith("used_memory:"))
                .map(l -> Long.parseLong(l.substring("used_memory:".length()).strip())).findFirst().orElseThrow();
    }
}
