package io.memdoctor.scans;

import java.time.Duration;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A scan from a replica (issue 14): a real primary with a password and a real {@code redis-server --replicaof} of
 * it. The replica is found in INFO replication, reached with the primary's password, and the scan's commands go to
 * the replica only (the primary's commandstats show no SCAN).
 */
@DashboardTest
class ScanReplicaTests {

    private static final String PASSWORD = "replica-s3cret";
    private static final int KEYS = 3000;
    private static RedisServer primary;
    private static RedisServer replica;
    private static RedisServer alone;

    @Autowired
    private ScanService scans;
    @Autowired
    private InstanceService instances;
    @Autowired
    private MockMvc mvc;

    @BeforeAll
    static void start() {
        primary = RedisServer.start("--requirepass", PASSWORD, "--enable-debug-command", "yes");
        replica = RedisServer.start("--requirepass", PASSWORD, "--masterauth", PASSWORD, "--replicaof",
                "127.0.0.1 " + primary.port());
        alone = RedisServer.start();
        cli(primary, "DEBUG", "POPULATE", Integer.toString(KEYS), "rep");
        cli(primary, "RPUSH", "queue:big", "a", "b", "c", "d", "e");
        await().atMost(Duration.ofSeconds(20)).until(() -> cli(replica, "DBSIZE").strip().equals(
                Integer.toString(KEYS + 1)) && cli(primary, "INFO", "replication").contains("state=online"));
        cli(primary, "CONFIG", "RESETSTAT");
        cli(replica, "CONFIG", "RESETSTAT");
    }

    @AfterAll
    static void stop() {
        for (RedisServer server : new RedisServer[] {replica, primary, alone}) {
            if (server != null) {
                server.close();
            }
        }
    }

    private static String cli(RedisServer server, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "-a";
        all[1] = PASSWORD;
        all[2] = "--no-auth-warning";
        System.arraycopy(args, 0, all, 3, args.length);
        return server.cli(all);
    }

    private String add(String name, String url) {
        if (instances.findAll().stream().noneMatch(i -> i.name().equals(name))) {
            instances.add(name, url);
        }
        return instances.findAll().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow().id().value();
    }

    @Test
    void aScanFromTheReplicaRunsThereWithThePrimarysPasswordAndSparesThePrimary() throws Exception {
        String id = add("Replicated Primary", "redis://:" + PASSWORD + "@127.0.0.1:" + primary.port());
        String replicaAddress = "127.0.0.1:" + replica.port();

        mvc.perform(get("/api/instances/" + id + "/replicas"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].address").value(replicaAddress))
                .andExpect(jsonPath("$[0].online").value(true));
        assertThat(scans.replicaAvailable(id)).isTrue();

        String scanId = scans.start(id, ScanParameters.defaults(), ScanSource.REPLICA).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> !scans.get(scanId).running());

        ScanView scan = scans.get(scanId);
        assertThat(scan.status()).isEqualTo(ScanStatus.DONE);
        assertThat(scan.from()).isEqualTo("replica");
        assertThat(scan.node()).isEqualTo(replicaAddress);
        assertThat(scan.parts()).singleElement().satisfies(part -> {
            assertThat(part.role()).isEqualTo("replica");
            assertThat(part.primary()).isEqualTo("127.0.0.1:" + primary.port());
            assertThat(part.status()).isEqualTo(ScanStatus.DONE);
        });
        assertThat(scan.results().keys()).isEqualTo(KEYS + 1);
        assertThat(scan.results().byType().get("list").elements()).isEqualTo(5);
        assertThat(scan.results().topKeys()).allSatisfy(k -> assertThat(k.node()).isNull());
        // the scan's commands went to the replica, none to the primary
        assertThat(cli(replica, "INFO", "commandstats")).contains("cmdstat_scan:").contains("cmdstat_memory");
        assertThat(cli(primary, "INFO", "commandstats")).doesNotContain("cmdstat_scan:")
                .doesNotContain("cmdstat_memory");

        mvc.perform(get("/api/scans/" + scanId))
                .andExpect(jsonPath("$.from").value("replica"))
                .andExpect(jsonPath("$.cluster").value(false))
                .andExpect(jsonPath("$.parts[0].node").value(replicaAddress))
                .andExpect(jsonPath("$.parts[0].keys").value(KEYS + 1));
        mvc.perform(get("/scans/" + scanId))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(replicaAddress)));
        // the launch form offers the replica first
        mvc.perform(get("/instances/" + id + "/scans"))
                .andExpect(content().string(containsString("replica (recommended: spares the primary)")));
        mvc.perform(get("/instances/" + id + "/replicas"))
                .andExpect(content().string(containsString(replicaAddress)));
    }

    @Test
    void aScanFromTheReplicaOfAnInstanceWithoutOneIsAConflictAndABadSourceIsRefused() throws Exception {
        String id = add("Lone Primary", alone.url());
        mvc.perform(post("/api/instances/" + id + "/scans").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"from\": \"replica\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("no replica online")));
        mvc.perform(post("/api/instances/" + id + "/scans").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"from\": \"<b>elsewhere</b>\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/instances/" + id + "/replicas"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(0));
        mvc.perform(get("/instances/" + id + "/scans"))
                .andExpect(content().string(containsString("No replica online.")));
    }
}
