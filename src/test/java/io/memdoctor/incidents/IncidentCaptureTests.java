package io.memdoctor.incidents;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Watched;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Capturing an incident against real private redis-servers: one that answers everything, one with MEMORY and CONFIG
 * renamed away as on managed services. Every listed fact is recorded, refusals with their reason, and a capture
 * never fails on Redis' account.
 */
@DashboardTest
class IncidentCaptureTests {

    @RegisterExtension
    static final Watched watched = new Watched();
    static final RedisServer open = watched.start("--slowlog-log-slower-than", "0");
    static final RedisServer managed = watched.start("--rename-command", "MEMORY", "", "--rename-command",
            "CONFIG", "");
    /** Paused (SIGSTOP) in one test: connections are accepted and nothing is answered. */
    static final RedisServer frozen = watched.start();

    @BeforeAll
    static void watch() {
        watched.add("open", open.url());
        watched.add("managed", managed.url());
        watched.add("down", "redis://127.0.0.1:" + closedPort());
        watched.add("frozen", frozen.url());
    }

    static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Autowired
    JsonMapper json;

    @Test
    void aCaptureHoldsEveryFactTheIncidentFlowAsksFor() throws Exception {
        for (int i = 0; i < 50; i++) {
            open.cli("SET", "session:" + i, "x".repeat(100));
        }
        open.cli("RPUSH", "user:1001:feed", "a", "b", "c");
        for (int i = 0; i < 3; i++) {
            sampler.sample(instances.get("open"));
        }
        String id = capture("open", "{\"title\":\"Memory climbing\",\"note\":\"paged at 14:00\"}");
        Map<String, Object> incident = incident(id);

        assertThat(incident).containsEntry("title", "Memory climbing").containsEntry("note", "paged at 14:00")
                .containsEntry("instanceId", "open").containsEntry("imported", false);
        Map<String, Map<String, Object>> facts = facts(incident);
        assertThat(facts).containsKeys("info", "infoPersistence", "dbsize", "memoryStats", "memoryDoctor", "config",
                "slowlog", "commandstats", "errorstats");
        facts.forEach((name, fact) -> assertThat(fact.get("refused")).as(name + ": " + fact.get("reason"))
                .isEqualTo(false));
        assertThat((String) facts.get("info").get("value")).contains("# Memory").contains("# Persistence")
                .contains("# Keyspace").contains("used_memory:");
        assertThat((String) facts.get("infoPersistence").get("value")).contains("rdb_bgsave_in_progress:")
                .doesNotContain("# Memory");
        assertThat(((Number) facts.get("dbsize").get("value")).longValue())
                .isEqualTo(Long.parseLong(open.cli("DBSIZE").trim())).isGreaterThanOrEqualTo(51);
        assertThat((Map<String, Object>) facts.get("memoryStats").get("value")).containsKeys("peak.allocated",
                "dataset.bytes", "keys.count");
        assertThat((String) facts.get("memoryDoctor").get("value")).isNotBlank();
        assertThat((Map<String, Object>) facts.get("config").get("value")).containsKeys("maxmemory",
                "maxmemory-policy", "activedefrag", "save", "appendonly", "hash-max-listpack-entries")
                .doesNotContainKeys("requirepass", "masterauth");
        List<Map<String, Object>> slowlog = (List<Map<String, Object>>) facts.get("slowlog").get("value");
        assertThat(slowlog).isNotEmpty();
        assertThat(slowlog.get(0)).containsKeys("id", "at", "durationMicros", "command");
        assertThat((String) facts.get("commandstats").get("value")).contains("cmdstat_set:");
        assertThat((String) facts.get("errorstats").get("value")).contains("# Errorstats");

        Map<String, Object> capture = (Map<String, Object>) incident.get("capture");
        assertThat((List<Map<String, Object>>) capture.get("checks")).extracting(c -> c.get("id"))
                .contains("maxmemory-unset", "fragmentation-high");
        assertThat((Map<String, Object>) capture.get("diagnosis")).containsKeys("verdict", "summary", "evidence",
                "nextSteps");
        List<Map<String, Object>> samples = (List<Map<String, Object>>) capture.get("samples");
        assertThat(samples).hasSizeGreaterThanOrEqualTo(4);
        assertThat(samples.get(0)).containsKeys("timestamp", "status", "usedMemory", "usedMemoryRss");
        assertThat(capture.get("scan")).isNull();
        Duration window = Duration.between(java.time.Instant.parse((String) incident.get("windowFrom")),
                java.time.Instant.parse((String) incident.get("windowTo")));
        assertThat(window).isEqualTo(Duration.ofHours(6));

        mvc.perform(get("/api/incidents")).andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == '" + id + "')].title").value(org.hamcrest.Matchers.hasItem("Memory climbing")));
        mvc.perform(get("/incidents/" + id)).andExpect(status().isOk());
        mvc.perform(get("/incidents")).andExpect(status().isOk());
    }

    @Test
    void aManagedRedisThatRefusesMemoryAndConfigStillCaptures() throws Exception {
        assertThat(managed.cli("MEMORY", "DOCTOR")).contains("unknown command");
        sampler.sample(instances.get("managed"));
        String id = capture("managed", "{\"title\":\"Managed spike\"}");
        Map<String, Map<String, Object>> facts = facts(incident(id));

        for (String refused : List.of("memoryStats", "memoryDoctor", "config")) {
            assertThat(facts.get(refused).get("refused")).as(refused).isEqualTo(true);
            assertThat((String) facts.get(refused).get("reason")).as(refused).contains("refused")
                    .contains("unknown command");
            assertThat(facts.get(refused)).doesNotContainKey("value");
        }
        for (String captured : List.of("info", "infoPersistence", "dbsize", "slowlog", "commandstats", "errorstats")) {
            assertThat(facts.get(captured).get("refused")).as(captured).isEqualTo(false);
        }
        // the refusals left the shared sampling connection working
        assertThat(sampler.sample(instances.get("managed")).status()).isEqualTo(SnapshotStatus.OK);
        String page = mvc.perform(get("/incidents/" + id)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("refused").contains("unknown command");
    }

    @Test
    void aRedisThatIsDownStillGivesAnIncidentQuickly() throws Exception {
        long start = System.nanoTime();
        String id = capture("down", "{\"title\":\"It is down\",\"scan\":true}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        Map<String, Object> incident = incident(id);
        Map<String, Map<String, Object>> facts = facts(incident);
        assertThat(facts.values()).allSatisfy(f -> assertThat(f.get("refused")).isEqualTo(true));
        assertThat((String) facts.get("info").get("reason")).contains("no answer").contains("Connection refused");
        assertThat((String) facts.get("errorstats").get("reason")).startsWith("Not asked");
        Map<String, Object> capture = (Map<String, Object>) incident.get("capture");
        assertThat((Map<String, Object>) capture.get("diagnosis")).containsEntry("verdict", "INSUFFICIENT_DATA");
        assertThat(((Map<String, Object>) capture.get("scan")).get("status")).isIn("FAILED", "NOT_STARTED", "RUNNING");
    }

    @Test
    void aRedisThatStopsAnsweringCostsTheSampleTimeoutAndNoFactWaitsAgain() throws Exception {
        // it answered a minute ago, then froze (a fork on a huge heap, a stuck disk, SIGSTOP)
        sampler.sample(instances.get("frozen"));
        frozen.pause();
        try {
            String id = capture("frozen", "{\"title\":\"It hangs\"}");
            Map<String, Map<String, Object>> facts = facts(incident(id));
            assertThat(facts).hasSize(9);
            assertThat(facts.values()).allSatisfy(f -> assertThat((String) f.get("reason"))
                    .startsWith("Not asked: the sample taken just before got no answer"));
            Map<String, Object> capture = (Map<String, Object>) incident(id).get("capture");
            assertThat(capture.get("checks").toString()).contains("The last sample failed");
        }
        finally {
            frozen.resume();
        }
    }

    @Test
    void aCaptureWithScanAttachesTheScanWhenItEnds() throws Exception {
        open.cli("RPUSH", "queue:jobs", "1", "2", "3", "4", "5");
        String id = capture("open", "{\"title\":\"With scan\",\"scan\":true,\"windowHours\":1}");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, Object> scan = (Map<String, Object>) ((Map<String, Object>) incident(id).get("capture"))
                    .get("scan");
            return "DONE".equals(scan.get("status"));
        });
        Map<String, Object> scan = (Map<String, Object>) ((Map<String, Object>) incident(id).get("capture"))
                .get("scan");
        Map<String, Object> results = (Map<String, Object>) scan.get("results");
        assertThat((List<Map<String, Object>>) results.get("topKeys")).extracting(k -> k.get("key"))
                .contains("queue:jobs");
        assertThat((List<Map<String, Object>>) results.get("patterns")).isNotEmpty();
        String panel = mvc.perform(get("/incidents/" + id + "/keys").header("HX-Request", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(panel).contains("queue:jobs").doesNotContain("hx-get");
    }

    @Test
    void notesTakeATimeAsTypedAndRefuseBadInput() throws Exception {
        sampler.sample(instances.get("open"));
        String id = capture("open", "{\"title\":\"Notes\"}");
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"text\":\"deploy 4.2 rolled out\",\"author\":\"ana\"}"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.text").value("deploy 4.2 rolled out"));
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"at\":\"2026-11-24T14:10:00Z\",\"text\":\"AOF rewrite started\"}"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.at").value("2026-11-24T14:10:00Z"));
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"at\":\"14:02\",\"zone\":\"+02:00\",\"text\":\"local time\"}"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.at").value(org.hamcrest.Matchers.endsWith("T12:02:00Z")));

        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"text\":\"  \"}")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("text is required"));
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"text\":\"" + "x".repeat(2001) + "\"}")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("text must be at most 2000 characters"));
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"at\":\"yesterday\",\"text\":\"x\"}")).andExpect(status().isBadRequest());
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"at\":\"14:02\",\"zone\":\"Mars/Olympus\",\"text\":\"x\"}")).andExpect(status().isBadRequest());
        assertThat((List<?>) incident(id).get("notes")).hasSize(3);

        // the page's form answers with the timeline and tells the charts to redraw their markers
        mvc.perform(post("/incidents/" + id + "/notes").with(csrf()).header("HX-Request", "true").param("text", "from the form"))
                .andExpect(status().isOk()).andExpect(header().string("HX-Trigger", "incident-notes-changed"));
        mvc.perform(post("/incidents/" + id + "/notes").with(csrf()).header("HX-Request", "true").param("text", ""))
                .andExpect(status().isBadRequest());
    }

    @Test
    void badRequestsAreProblemDetailsNeverErrors() throws Exception {
        mvc.perform(post("/api/instances/nope/incidents").contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\":\"x\"}")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown instance"));
        mvc.perform(post("/api/instances/open/incidents").contentType(MediaType.APPLICATION_JSON)
                .content("{\"note\":\"no title\"}")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("title is required"));
        mvc.perform(post("/api/instances/open/incidents").contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\":\"" + "t".repeat(201) + "\"}")).andExpect(status().isBadRequest());
        mvc.perform(post("/api/instances/open/incidents").contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\":\"x\",\"windowHours\":0}")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/incidents/00000000-0000-0000-0000-000000000000")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown incident"));
        mvc.perform(get("/api/incidents/<script>")).andExpect(status().isNotFound());
        mvc.perform(get("/incidents/00000000-0000-0000-0000-000000000000")).andExpect(status().isNotFound());
        mvc.perform(get("/api/incidents/00000000-0000-0000-0000-000000000000/export?format=md"))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/incidents/00000000-0000-0000-0000-000000000000/notes")
                .contentType(MediaType.APPLICATION_JSON).content("{\"text\":\"x\"}")).andExpect(status().isNotFound());
        String form = mvc.perform(post("/instances/open/incidents").with(csrf()).header("HX-Request", "true").param("title", "")
                        .param("note", "kept")).andExpect(status().isBadRequest()).andReturn().getResponse()
                .getContentAsString();
        assertThat(form).contains("title is required").contains("value=\"kept\"").contains("id=\"capture-form\"");
    }

    @Test
    void theCaptureFormRedirectsToTheNewIncident() throws Exception {
        sampler.sample(instances.get("open"));
        mvc.perform(post("/instances/open/incidents").with(csrf()).header("HX-Request", "true").param("title", "from htmx"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Redirect", org.hamcrest.Matchers.startsWith("/incidents/")));
        mvc.perform(post("/instances/open/incidents").with(csrf()).param("title", "without js").param("scan", "false")
                        .param("windowHours", "1"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/incidents/")));
        mvc.perform(post("/instances/nope/incidents").with(csrf()).param("title", "x")).andExpect(status().isNotFound());
    }

    private String capture(String instance, String body) throws Exception {
        String answer = mvc.perform(post("/api/instances/" + instance + "/incidents")
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andExpect(header().exists("Location"))
                .andReturn().getResponse().getContentAsString();
        return (String) json.readValue(answer, Map.class).get("id");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> incident(String id) throws Exception {
        return json.readValue(mvc.perform(get("/api/incidents/" + id)).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> facts(Map<String, Object> incident) {
        return (Map<String, Map<String, Object>>) ((Map<String, Object>) incident.get("capture")).get("facts");
    }
}
