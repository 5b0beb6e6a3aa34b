package io.memdoctor.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisCluster;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * One URL of any node of a real cluster (3 primaries, 3 replicas) registers the whole cluster, once: the topology
 * API answers the contract, every node is an instance of its own under the cluster, the same cluster added
 * again is refused naming it, and removing the cluster removes its nodes. A plain server answers STANDALONE.
 */
@DashboardTest
class ClusterDiscoveryTests {

    static RedisCluster cluster;
    static RedisServer standalone;

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    ClusterDiscovery discovery;

    @Autowired
    io.memdoctor.instances.MemoryLimits limits;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        standalone = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (standalone != null) {
            standalone.close();
        }
    }

    /**
     * From a replica's URL the whole cluster is registered; the same cluster added again, through a primary's URL or
     * the same one, is refused with a 409 naming it (API) or the same words on the page, so no node is sampled twice.
     * A node is an instance of its own that goes with its cluster; once the cluster is removed, it can be added again.
     */
    @Test
    void oneUrlOfAnyNodeRegistersTheClusterOnce() throws Exception {
        int replica = cluster.replicas().get(0);
        add("disc replica seed", "redis://127.0.0.1:" + replica).andExpect(status().isCreated())
                .andExpect(jsonPath("$.id").value("disc-replica-seed"))
                .andExpect(jsonPath("$.kind").value("CLUSTER"));
        assertContract("disc-replica-seed", cluster);
        int before = instances.findAll().size();

        add("disc primary seed", cluster.url(0)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.title").value("Cluster already watched"))
                .andExpect(jsonPath("$.existing").value("disc-replica-seed"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(
                        "the cluster 'disc replica seed' (id 'disc-replica-seed')")));
        add("disc same url", "redis://127.0.0.1:" + replica).andExpect(status().isConflict())
                .andExpect(jsonPath("$.existing").value("disc-replica-seed"));
        mvc.perform(post("/instances").with(csrf()).param("name", "disc page seed").param("url", cluster.url(1)))
                .andExpect(status().isConflict())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("is a node of the cluster")))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("/clusters/disc-replica-seed")));
        mvc.perform(post("/instances").with(csrf()).header("HX-Request", "true").param("name", "disc page seed")
                        .param("url", cluster.url(1)))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("already watched")));
        assertThat(instances.findAll()).hasSize(before);
        assertThat(instances.find(InstanceId.of("disc-primary-seed"))).isEmpty();
        // a configured server found in cluster mode later (ClusterFollower's round) is not made a second cluster
        Instance late = new Instance(InstanceId.of("disc-late"), "disc late", RedisUrl.of(cluster.url(2)),
                Instance.Source.CONFIG);
        assertThat(discovery.watchedAs(late)).map(Instance::id).contains(InstanceId.of("disc-replica-seed"));
        assertThat(discovery.probeLate(late)).isFalse();
        assertThat(instances.findAll()).hasSize(before);

        List<String> nodes = JsonPath.read(mvc.perform(get("/api/instances/disc-replica-seed/topology"))
                .andReturn().getResponse().getContentAsString(), "$.nodes[*].instanceId");
        String node = nodes.get(0);
        mvc.perform(get("/api/instances/" + node)).andExpect(jsonPath("$.kind").value("SERVER"))
                .andExpect(jsonPath("$.cluster").value("disc-replica-seed"))
                .andExpect(jsonPath("$.source").value("DISCOVERED"));
        mvc.perform(get("/api/instances/" + node + "/topology")).andExpect(jsonPath("$.kind").value("STANDALONE"))
                .andExpect(jsonPath("$.nodes.length()").value(1))
                .andExpect(jsonPath("$.nodes[0].instanceId").value(node));
        mvc.perform(delete("/api/instances/" + node)).andExpect(status().isBadRequest());

        mvc.perform(delete("/api/instances/disc-replica-seed")).andExpect(status().isNoContent());
        for (String id : nodes) {
            assertThat(instances.find(InstanceId.of(id))).isEmpty();
        }
        mvc.perform(get("/api/instances/disc-replica-seed/topology")).andExpect(status().isNotFound());

        add("disc primary seed", cluster.url(0)).andExpect(status().isCreated())
                .andExpect(jsonPath("$.id").value("disc-primary-seed"))
                .andExpect(jsonPath("$.kind").value("CLUSTER"));
        assertContract("disc-primary-seed", cluster);
        mvc.perform(get("/api/instances/disc-primary-seed")).andExpect(jsonPath("$.kind").value("CLUSTER"));
        mvc.perform(delete("/api/instances/disc-primary-seed")).andExpect(status().isNoContent());
    }

    @Test
    void aPlainServerIsStandalone() throws Exception {
        add("disc standalone", standalone.url()).andExpect(status().isCreated())
                .andExpect(jsonPath("$.kind").value("SERVER"));
        mvc.perform(get("/api/instances/disc-standalone/topology"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.kind").value("STANDALONE"))
                .andExpect(jsonPath("$.nodes.length()").value(1))
                .andExpect(jsonPath("$.nodes[0].address").value("127.0.0.1:" + standalone.port()))
                .andExpect(jsonPath("$.nodes[0].role").value("PRIMARY"))
                .andExpect(jsonPath("$.nodes[0].primary").doesNotExist())
                .andExpect(jsonPath("$.nodes[0].slots").value(""))
                .andExpect(jsonPath("$.nodes[0].instanceId").value("disc-standalone"));
        mvc.perform(get("/api/instances/no-such-instance/topology")).andExpect(status().isNotFound());
    }

    /**
     * A memory limit declared for a cluster is each node's container's: the nodes found get it, and a change of the
     * cluster's reaches every node (and the rules that read it: {@code MemoryLimits}).
     */
    @Test
    void aClustersMemoryLimitIsEachNodes() throws Exception {
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"disc limited\","
                        + "\"url\":\"" + cluster.url(0) + "\",\"memoryLimit\":1073741824}"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.kind").value("CLUSTER"))
                .andExpect(jsonPath("$.memoryLimit").value(1L << 30));
        List<Instance> nodes = instances.nodes(InstanceId.of("disc-limited"));
        assertThat(nodes).hasSize(6).allSatisfy(node -> assertThat(node.memoryLimit()).isEqualTo(1L << 30));

        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .put("/api/instances/disc-limited/memory-limit").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"memoryLimit\":2147483648}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.memoryLimit").value(2L << 30));
        assertThat(instances.nodes(InstanceId.of("disc-limited")))
                .allSatisfy(node -> assertThat(node.memoryLimit()).isEqualTo(2L << 30));
        assertThat(limits.of(nodes.get(0).id())).contains(2L << 30);
        mvc.perform(delete("/api/instances/disc-limited")).andExpect(status().isNoContent());
    }

    @Test
    void valkeyClusterToo() throws Exception {
        Optional<RedisCluster> valkey = RedisCluster.startValkey();
        assumeTrue(valkey.isPresent(), "../shared/redis-builds/valkey-server-8.0.1 is absent: Valkey not tested");
        try (RedisCluster started = valkey.get()) {
            add("disc valkey", "redis://127.0.0.1:" + started.replicas().get(1)).andExpect(status().isCreated())
                    .andExpect(jsonPath("$.kind").value("CLUSTER"));
            assertContract("disc-valkey", started);
            mvc.perform(delete("/api/instances/disc-valkey")).andExpect(status().isNoContent());
        }
    }

    /** The topology API against what the cluster itself says (CLUSTER NODES through redis-cli). */
    private void assertContract(String id, RedisCluster real) throws Exception {
        String body = mvc.perform(get("/api/instances/" + id + "/topology")).andExpect(status().isOk())
                .andExpect(jsonPath("$.kind").value("CLUSTER"))
                .andExpect(jsonPath("$.nodes.length()").value(6))
                .andReturn().getResponse().getContentAsString();
        List<Map<String, Object>> nodes = JsonPath.read(body, "$.nodes");
        List<String> primaries = real.primaries().stream().map(p -> "127.0.0.1:" + p).toList();
        List<String> replicas = real.replicas().stream().map(p -> "127.0.0.1:" + p).toList();
        int slots = 0;
        for (Map<String, Object> node : nodes) {
            assertThat(node).containsOnlyKeys("address", "role", "primary", "slots", "instanceId");
            String address = (String) node.get("address");
            if ("PRIMARY".equals(node.get("role"))) {
                assertThat(primaries).contains(address);
                assertThat(node.get("primary")).isNull();
                assertThat((String) node.get("slots")).matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
                slots += Slots.count((String) node.get("slots"));
            }
            else {
                assertThat(node.get("role")).isEqualTo("REPLICA");
                assertThat(replicas).contains(address);
                assertThat(primaries).contains((String) node.get("primary"));
                assertThat(node.get("slots")).isEqualTo("");
                int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
                assertThat(RedisCluster.cli(port, "ROLE")).contains(((String) node.get("primary")).split(":")[1]);
            }
            String instanceId = (String) node.get("instanceId");
            var instance = instances.find(InstanceId.of(instanceId)).orElseThrow();
            assertThat(instance.cluster()).isEqualTo(InstanceId.of(id));
            assertThat(instance.url().port()).isEqualTo(Integer.parseInt(address.split(":")[1]));
        }
        assertThat(slots).isEqualTo(16384);
        // primaries in slot order, each followed by its replica
        assertThat(nodes.get(0).get("role")).isEqualTo("PRIMARY");
        assertThat(nodes.get(0).get("slots").toString()).startsWith("0-");
        assertThat(nodes.get(1).get("primary")).isEqualTo(nodes.get(0).get("address"));
    }

    private ResultActions add(String name, String url) throws Exception {
        return mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + name + "\",\"url\":\"" + url + "\"}"));
    }
}
