package io.memdoctor.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanSource;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.simulator.LocalRedisServer;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A real cluster whose one shard holds a big hash: the shard is flagged as imbalanced and named (the key's size
 * checked against MEMORY USAGE on its node), settings that differ between nodes are flagged, and the cluster is one
 * card on the overview, with its page, its JSON and its shards' history.
 */
@DashboardTest
@SuppressWarnings("unchecked")
class ClusterPageTests {

    static RedisCluster cluster;
    static int bigShard;

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Autowired
    ScanService scans;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start("--maxmemory", "256mb");
        bigShard = cluster.primaryOf("big:hash");
        String filled = RedisCluster.cli(bigShard, "EVAL", "for i = 1, 100000 do redis.call('HSET', KEYS[1], 'field:'"
                + " .. i, 'a value of forty bytes, more or less ' .. i) end return redis.call('HLEN', KEYS[1])", "1",
                "big:hash");
        assertThat(filled.strip()).isEqualTo("100000");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aShardWithOneBigHashIsFlaggedAndNamed() throws Exception {
        Instance added = watched();
        sampleAll(added);
        long bytes = Long.parseLong(RedisCluster.cli(bigShard, "MEMORY", "USAGE", "big:hash").strip());
        assertThat(bytes).isGreaterThan(5_000_000);
        String shard = "127.0.0.1:" + bigShard;

        String body = mvc.perform(get("/api/clusters/page-cluster")).andExpect(status().isOk())
                .andExpect(jsonPath("$.nodesTotal").value(6))
                .andExpect(jsonPath("$.nodesUp").value(6))
                .andExpect(jsonPath("$.maxmemory").value(3L * 256 * 1024 * 1024))
                .andExpect(jsonPath("$.capacity").value(3L * 256 * 1024 * 1024))
                .andExpect(jsonPath("$.capacityKind").value("maxmemory"))
                .andExpect(jsonPath("$.nodes[*].ceiling").value(org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.is("maxmemory"))))
                .andExpect(jsonPath("$.imbalance.largestShard").value(shard))
                .andExpect(jsonPath("$.fullestShard").value(shard))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-memory-imbalance')].severity").value(hasItem("WARNING")))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-memory-imbalance')].title")
                        .value(hasItem(containsString("Shard " + shard))))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-settings-differ')].severity").value(hasItem("OK")))
                .andReturn().getResponse().getContentAsString();
        double ratio = ((Number) JsonPath.read(body, "$.imbalance.usedRatio")).doubleValue();
        assertThat(ratio).isGreaterThan(ShardRules.IMBALANCE);
        // the big shard's used memory holds the hash, as its own INFO says
        List<Number> used = JsonPath.read(body, "$.nodes[?(@.address == '" + shard + "')].usedMemory");
        assertThat(used.get(0).longValue()).isGreaterThan(bytes);
        List<Number> keys = JsonPath.read(body, "$.nodes[?(@.address == '" + shard + "')].keys");
        assertThat(keys.get(0).longValue()).isEqualTo(1);

        // a cluster-wide scan names the key that explains it, with its slot
        String scanId = scans.start("page-cluster", ScanParameters.defaults(), ScanSource.PRIMARY).id();
        await().atMost(Duration.ofSeconds(30)).until(() -> !scans.get(scanId).running());
        assertThat(scans.get(scanId).status()).isEqualTo(ScanStatus.DONE);
        String slot = RedisCluster.cli(bigShard, "CLUSTER", "KEYSLOT", "big:hash").strip();
        mvc.perform(get("/api/clusters/page-cluster"))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-memory-imbalance')].evidence").value(hasItem(
                        containsString("Its biggest key (cluster-wide scan of "))))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-memory-imbalance')].evidence").value(hasItem(
                        containsString("big:hash (hash, "))))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-memory-imbalance')].evidence").value(hasItem(
                        containsString("100,000 elements, slot " + slot + ")"))))
                .andExpect(jsonPath("$.findings[?(@.id == 'cluster-memory-imbalance')].remedy").value(hasItem(
                        containsString("cannot be moved apart"))));

        // the cluster's diagnosis is its nodes' diagnoses, the most serious naming its shard
        mvc.perform(get("/api/clusters/page-cluster/diagnosis")).andExpect(status().isOk())
                .andExpect(jsonPath("$.nodes.length()").value(6))
                .andExpect(jsonPath("$.nodes[0].role").value("PRIMARY"))
                .andExpect(jsonPath("$.shard").value(containsString("127.0.0.1:")))
                .andExpect(jsonPath("$.summary").value(containsString("Shard 127.0.0.1:")));
    }

    @Test
    void settingsThatDifferBetweenNodesAreFlagged() throws Exception {
        Instance added = watched();
        int replica = cluster.replicas().get(0);
        RedisCluster.cli(replica, "CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        try {
            sampleAll(added);
            mvc.perform(get("/api/clusters/page-cluster"))
                    .andExpect(jsonPath("$.findings[?(@.id == 'cluster-settings-differ')].severity").value(hasItem("WARNING")))
                    .andExpect(jsonPath("$.findings[?(@.id == 'cluster-settings-differ')].evidence")
                            .value(hasItem(containsString("allkeys-lru on 127.0.0.1:" + replica))));
        }
        finally {
            RedisCluster.cli(replica, "CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    void theClusterIsOneCardWithItsOwnPage() throws Exception {
        Instance added = watched();
        sampleAll(added);
        String node = instances.nodes(added.id()).get(0).id().value();

        mvc.perform(get("/")).andExpect(status().isOk())
                .andExpect(content().string(containsString("data-cluster=\"page-cluster\"")))
                .andExpect(content().string(not(containsString("data-instance=\"" + node + "\""))));
        mvc.perform(get("/api/overview")).andExpect(status().isOk())
                .andExpect(content().string(containsString("\"nodesUp\":6")))
                .andExpect(content().string(not(containsString("\"id\":\"" + node + "\""))));

        mvc.perform(get("/instances/page-cluster")).andExpect(status().isFound())
                .andExpect(redirectedUrl("/clusters/page-cluster"));
        mvc.perform(get("/clusters/page-cluster")).andExpect(status().isOk())
                .andExpect(content().string(containsString("Checks across shards")))
                .andExpect(content().string(containsString("768 MB (maxmemory)")))
                .andExpect(content().string(containsString("127.0.0.1:" + bigShard)))
                .andExpect(content().string(containsString("/instances/" + node)))
                .andExpect(content().string(containsString("shards-chart")))
                .andExpect(content().string(containsString("id=\"capture-form\"")))
                .andExpect(content().string(containsString("hx-post=\"/instances/page-cluster/incidents\"")))
                .andExpect(content().string(containsString("hx-get=\"/clusters/page-cluster/diagnosis\"")));
        // the diagnosis panel: the verdict naming its shard, then every node's
        mvc.perform(get("/clusters/page-cluster/diagnosis").header("HX-Request", "true")).andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"cluster-diagnosis\"")))
                .andExpect(content().string(containsString("Shard 127.0.0.1:")))
                .andExpect(content().string(containsString("data-node=\"127.0.0.1:" + bigShard + "\"")))
                .andExpect(content().string(containsString("/instances/" + node)));
        mvc.perform(get("/clusters/" + node + "/diagnosis")).andExpect(status().isNotFound());
        mvc.perform(get("/clusters/page-cluster").header("HX-Request", "true")).andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"cluster-summary\"")))
                .andExpect(content().string(not(containsString("shards-chart"))));
        mvc.perform(get("/instances/" + node)).andExpect(status().isOk());

        mvc.perform(get("/api/clusters/page-cluster/history")).andExpect(status().isOk())
                .andExpect(jsonPath("$.shards.length()").value(3))
                .andExpect(jsonPath("$.shards[0].slots").value(containsString("0-")))
                .andExpect(jsonPath("$.shards[0].points[0].usedMemory").isNumber())
                .andExpect(jsonPath("$.events[0].kind").value("DISCOVERED"));
        mvc.perform(get("/api/clusters/page-cluster/history").param("from", "yesterday")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/clusters/" + node)).andExpect(status().isNotFound());
        mvc.perform(get("/clusters/" + node)).andExpect(status().isNotFound());

        // a cluster is not sampled itself: its instance API points to the cluster's answers, keeping the range
        mvc.perform(get("/api/instances/page-cluster/diagnosis").param("from", "2026-01-01T00:00:00Z"))
                .andExpect(status().isSeeOther())
                .andExpect(header().string("Location", "/api/clusters/page-cluster/diagnosis?from=2026-01-01T00:00:00Z"));
        mvc.perform(get("/api/instances/page-cluster/checks")).andExpect(status().isSeeOther())
                .andExpect(header().string("Location", "/api/clusters/page-cluster"));
        mvc.perform(get("/api/instances/" + node + "/diagnosis")).andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").isString());
        mvc.perform(get("/api/instances/" + node + "/checks")).andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").isString());
    }

    /**
     * An incident captured on the cluster takes every node's facts at once: a node that does not answer (a replica
     * paused here) costs one sample timeout and is recorded as silent, the others answer as themselves; the checks
     * across shards and a verdict naming its shard and the silent node come with it; its scan of every shard gives
     * a node column in every export, where hostile key names stay text.
     */
    @Test
    void anIncidentOnTheClusterTakesEveryNodesFacts() throws Exception {
        Instance added = watched();
        sampleAll(added);
        String hostile = "=1+1<img src=x onerror=alert(1)>";
        RedisCluster.cli(cluster.primaryOf(hostile), "SET", hostile, "x");
        try {
            captureOnTheCluster(hostile);
        }
        finally {
            RedisCluster.cli(cluster.primaryOf(hostile), "DEL", hostile);
        }
    }

    private void captureOnTheCluster(String hostile) throws Exception {
        int paused = cluster.replicas().get(1);
        LocalRedisServer frozen = cluster.servers().stream().filter(s -> s.port() == paused).findFirst().orElseThrow();
        String id;
        long took;
        frozen.pause(true);
        try {
            long started = System.nanoTime();
            id = JsonPath.read(mvc.perform(post("/api/instances/page-cluster/incidents")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"title\":\"Cluster <b>hot</b>\",\"scan\":true,\"windowHours\":1}"))
                    .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$.id");
            took = (System.nanoTime() - started) / 1_000_000;
        }
        finally {
            frozen.pause(false);
        }
        System.out.println("Cluster incident captured in " + took + " ms with one of 6 nodes paused (timeout 1 s)");
        // one timeout for the paused node; its nine facts and its checks would each have waited as long
        assertThat(took).isLessThan(6_000);

        String shard = "127.0.0.1:" + bigShard;
        String silent = "127.0.0.1:" + paused;
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(JsonPath.read(mvc.perform(
                get("/api/incidents/" + id)).andReturn().getResponse().getContentAsString(), "$.capture.scan.status")));
        String json = mvc.perform(get("/api/incidents/" + id)).andExpect(status().isOk())
                .andExpect(jsonPath("$.capture.nodes.length()").value(6))
                .andExpect(jsonPath("$.capture.facts").isEmpty())
                .andExpect(jsonPath("$.capture.diagnosis.summary").value(containsString("Shard 127.0.0.1:")))
                .andExpect(jsonPath("$.capture.diagnosis.summary").value(containsString(
                        "1 node did not answer at capture time: " + silent)))
                .andExpect(jsonPath("$.capture.checks[?(@.id == 'cluster-nodes-up')].evidence")
                        .value(hasItem(containsString(silent))))
                .andExpect(jsonPath("$.capture.scan.results.topKeys[0].key").value("big:hash"))
                .andExpect(jsonPath("$.capture.scan.results.topKeys[0].node").value(shard))
                .andReturn().getResponse().getContentAsString();
        List<Map<String, Object>> nodes = JsonPath.read(json, "$.capture.nodes");
        for (Map<String, Object> node : nodes) {
            String address = (String) node.get("address");
            Map<String, Map<String, Object>> facts = (Map<String, Map<String, Object>>) node.get("facts");
            assertThat(facts).hasSize(9);
            if (address.equals(silent)) {
                assertThat(node.get("status")).isEqualTo("UNREACHABLE");
                assertThat(node.get("role")).isEqualTo("REPLICA");
                assertThat((List<?>) node.get("checks")).isEmpty();
                assertThat(facts.values()).allSatisfy(f -> assertThat((String) f.get("reason"))
                        .startsWith("Not asked: the sample taken at capture time got no answer"));
            }
            else {
                assertThat(node.get("status")).as(address).isEqualTo("OK");
                assertThat((String) facts.get("info").get("value")).contains("tcp_port:" + address.split(":")[1])
                        .contains("cluster_enabled:1");
                assertThat((List<?>) node.get("checks")).isNotEmpty();
                assertThat(node.get("diagnosis")).isNotNull();
                assertThat((List<?>) node.get("samples")).isNotEmpty();
            }
        }
        assertThat(nodes).filteredOn(n -> "PRIMARY".equals(n.get("role"))).hasSize(3)
                .allSatisfy(n -> assertThat((String) n.get("slots")).isNotEmpty());

        // the slow log of every node keeps its arguments hidden unless an operator asks (the fill script is one)
        assertThat(RedisCluster.cli(bigShard, "SLOWLOG", "GET", "128")).contains("redis.call");
        assertThat(json).contains("arguments hidden").doesNotContain("redis.call");
        String page = mvc.perform(get("/incidents/" + id)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).doesNotContain("redis.call");
        assertThat(page).contains("id=\"incident-nodes\"", "data-node=\"" + silent + "\"", "UNREACHABLE",
                "Cluster &lt;b&gt;hot&lt;/b&gt;").doesNotContain("<b>hot</b>");
        String keys = mvc.perform(get("/incidents/" + id + "/keys")).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        // the node column, and each key's fix reaches its shard through redis-cli -c
        assertThat(keys).contains(">Node</button></th>", shard, "=1+1&lt;img").doesNotContain("<img src=x");

        String csvKeys = export(id, "csv", "keys");
        assertThat(csvKeys.lines().findFirst().orElseThrow())
                .isEqualTo("key,type,bytes,elements,ttl_seconds,db,node");
        assertThat(csvKeys.lines()).anyMatch(l -> l.startsWith("big:hash,hash,") && l.endsWith("," + shard));
        assertThat(csvKeys).contains("'=1+1<img src=x onerror=alert(1)>,string,");
        String csvSamples = export(id, "csv", "samples");
        assertThat(csvSamples.lines().findFirst().orElseThrow()).startsWith("node,timestamp,status,error,");
        assertThat(csvSamples.lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).distinct().count())
                .isGreaterThanOrEqualTo(5);
        assertThat(export(id, "csv", "nodes")).contains(silent + ",REPLICA,").contains(",UNREACHABLE,");
        String md = export(id, "md", null);
        assertThat(md).contains("## Nodes", "| Node | Key |", "| " + shard + " | big:hash |",
                "## Appendix: raw facts of " + silent, "=1+1\\<img").doesNotContainPattern("(?<!\\\\)<img");
        String html = export(id, "html", null);
        assertThat(html).contains("<h2>Nodes</h2>", "<th>Node</th>", shard, "Appendix: raw facts of " + silent)
                .doesNotContain("<img src=x").doesNotContain("<b>hot</b>");
        String exported = export(id, "json", null);
        assertThat((List<?>) JsonPath.read(exported, "$.capture.nodes")).hasSize(6);
        assertThat((String) JsonPath.read(exported, "$.capture.scan.results.topKeys[0].node")).isEqualTo(shard);
        // the export comes back whole
        String imported = JsonPath.read(mvc.perform(post("/api/incidents/import")
                        .contentType(MediaType.APPLICATION_JSON).content(exported))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$.id");
        mvc.perform(get("/api/incidents/" + imported)).andExpect(jsonPath("$.capture.nodes.length()").value(6))
                .andExpect(jsonPath("$.capture.nodes[0].facts.info.command").value("INFO all"));
        mvc.perform(get("/incidents/" + imported)).andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"incident-nodes\"")));
    }

    private String export(String id, String format, String table) throws Exception {
        var request = get("/api/incidents/" + id + "/export").param("format", format);
        if (table != null) {
            request = request.param("table", table);
        }
        return mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The cluster, added once for the class: the same cluster cannot be added twice. */
    private Instance watched() {
        return instances.find(InstanceId.of("page-cluster"))
                .orElseGet(() -> instances.add("page cluster", cluster.url(0)));
    }

    private void sampleAll(Instance cluster) {
        for (Instance node : instances.nodes(cluster.id())) {
            assertThat(sampler.sample(node).isOk()).as("sample of %s", node.id()).isTrue();
        }
        assertThat(instances.find(InstanceId.of(cluster.id().value()))).isPresent();
    }
}
