package io.memdoctor.snapshots;

import java.time.Duration;
import java.util.Map;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A real primary with a real replica ({@code --replicaof}): the primary's page and API show what replication costs
 * it (replica buffers, backlog, the shared buffer) and the replica's lag, with the figures of the primary's own
 * INFO; an instance without replicas and with a small backlog shows no replication block.
 */
@DashboardTest
class ReplicationMemoryTests {

    static RedisServer primary;
    static RedisServer replica;
    static RedisServer alone;

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @BeforeAll
    static void start() {
        primary = RedisServer.start();
        replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
        alone = RedisServer.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> primary.cli("INFO", "replication").contains("state=online"));
        for (int i = 0; i < 200; i++) {
            primary.cli("SET", "k" + i, "v".repeat(100));
        }
    }

    @AfterAll
    static void stop() {
        replica.close();
        primary.close();
        alone.close();
    }

    @Test
    void thePrimaryShowsWhatItsReplicaCostsAndHowFarBehindItIs() throws Exception {
        Instance instance = instances.add("replicated primary", primary.url());
        Instance single = instances.add("no replicas", alone.url());
        try {
            sampler.sample(instance);
            sampler.sample(single);
            Map<String, String> info = InfoParser.fields(primary.cli("INFO", "all"));
            JsonNode api = json.readTree(mvc.perform(get("/api/instances/" + instance.id().value() + "/replication"))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
            assertThat(api.get("role").asString()).isEqualTo("master");
            assertThat(api.get("connectedReplicas").asLong()).isEqualTo(1);
            assertThat(api.get("replBacklogSize").asLong()).isEqualTo(Long.parseLong(info.get("repl_backlog_size")));
            assertThat(api.get("memReplicationBacklog").asLong()).isPositive();
            assertThat(api.get("memTotalReplicationBuffers").isNull()).isFalse();
            assertThat(api.get("memClientsSlaves").isNull()).isFalse();
            JsonNode first = api.get("replicas").get(0);
            assertThat(first.get("address").asString()).isEqualTo("127.0.0.1:" + replica.port());
            assertThat(first.get("state").asString()).isEqualTo("online");
            assertThat(first.get("lagSeconds").asLong()).isBetween(0L, 5L);
            assertThat(first.get("bytesBehind").asLong()).isGreaterThanOrEqualTo(0L);

            String page = mvc.perform(get("/instances/" + instance.id().value())).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString();
            assertThat(page).contains("Replication memory").contains("127.0.0.1:" + replica.port())
                    .contains("Replica buffers");
            // the summary fragment htmx refreshes carries it too
            assertThat(mvc.perform(get("/instances/" + instance.id().value()).header("HX-Request", "true"))
                    .andReturn().getResponse().getContentAsString()).contains("id=\"replication\"");

            String plain = mvc.perform(get("/instances/" + single.id().value())).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString();
            assertThat(plain).doesNotContain("Replication memory");
            JsonNode none = json.readTree(mvc.perform(get("/api/instances/" + single.id().value() + "/replication"))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
            assertThat(none.get("replicas")).isEmpty();
            assertThat(none.get("connectedReplicas").asLong()).isZero();
            mvc.perform(get("/api/instances/nope/replication")).andExpect(status().isNotFound());
        }
        finally {
            instances.remove(instance.id().value());
            instances.remove(single.id().value());
        }
    }
}
