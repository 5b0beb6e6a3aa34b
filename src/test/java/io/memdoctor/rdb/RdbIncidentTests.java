package io.memdoctor.rdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An RDB file a real server wrote, analysed, then attached to an incident captured on another private Redis: the
 * incident's JSON export holds the file's top key, the Markdown and HTML exports name the file, the export still
 * imports; and the refusals (unknown ids, an analysis not DONE, an imported incident, a scan's results) are 4xx.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RdbIncidentTests {

    /** Only in the file, never on the live server, and hostile to a page or a Markdown table. */
    static final String BIG = "backup:<b>feed</b>|x";
    static final Path dataDir = tempDir();
    static final RedisServer live = RedisServer.start();
    static byte[] dump;

    @BeforeAll
    static void file() throws IOException {
        try (RdbServer server = RdbServer.start(RdbServer.available().get(0)); Resp r = server.client()) {
            for (int i = 0; i < 300; i++) {
                r.send("RPUSH", BIG, "element-" + i + "-" + "x".repeat(100));
            }
            r.sync();
            for (int i = 0; i < 50; i++) {
                r.call("SET", "small:" + i, "v");
            }
            dump = Files.readAllBytes(server.save());
        }
        live.cli("SET", "live:key", "v");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.data-dir", dataDir::toString);
        registry.add("memdoctor.instances[0].name", () -> "live");
        registry.add("memdoctor.instances[0].url", live::url);
    }

    @AfterAll
    static void stop() throws IOException {
        live.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("memdoctor-rdb-incident");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @Autowired
    RdbService rdb;

    private RdbRecord analyse(byte[] file, String name) {
        String id = rdb.upload(new ByteArrayInputStream(file), name).id();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> !rdb.get(id).running());
        return rdb.get(id);
    }

    private String capture(boolean scan) throws Exception {
        String answer = mvc.perform(post("/api/instances/live/incidents").contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\":\"Memory spike\",\"scan\":" + scan + "}"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return json.readTree(answer).get("id").asString();
    }

    private String export(String id, String format) throws Exception {
        return mvc.perform(get("/api/incidents/" + id + "/export").param("format", format))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private JsonNode problem(String path, int expected) throws Exception {
        String body = mvc.perform(post(path)).andExpect(status().is(expected)).andReturn().getResponse()
                .getContentAsString();
        JsonNode node = json.readTree(body);
        assertThat(node.get("status").asInt()).isEqualTo(expected);
        return node;
    }

    @Test
    void attachedFileShowsInTheIncidentAndEveryExport() throws Exception {
        RdbRecord analysis = analyse(dump, "incident-dump.rdb");
        assertThat(analysis.status().name()).isEqualTo("DONE");
        String id = capture(false);

        JsonNode attached = json.readTree(mvc.perform(post("/api/incidents/" + id + "/rdb/" + analysis.id()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        JsonNode scan = attached.at("/capture/scan");
        assertThat(scan.at("/rdb/name").asString()).isEqualTo("incident-dump.rdb");
        assertThat(scan.at("/rdb/rdbVersion").asInt()).isEqualTo(analysis.report().rdbVersion());
        assertThat(scan.at("/rdb/redisVersion").asString()).isEqualTo(analysis.report().aux().get("redis-ver"));
        assertThat(scan.at("/results/topKeys/0/key").asString()).isEqualTo(BIG);

        JsonNode exported = json.readTree(export(id, "json"));
        assertThat(exported.at("/capture/scan/results/topKeys/0/key").asString()).isEqualTo(BIG);
        assertThat(exported.at("/capture/scan/results/topKeys/0/elements").asLong()).isEqualTo(300);
        assertThat(exported.at("/capture/scan/rdb/name").asString()).isEqualTo("incident-dump.rdb");

        String markdown = export(id, "md");
        assertThat(markdown).contains("from RDB file incident-dump.rdb").contains("estimated from the file")
                .doesNotContain("<b>feed</b>");
        assertThat(export(id, "html")).contains("from RDB file incident-dump.rdb").doesNotContain(BIG);
        assertThat(mvc.perform(get("/incidents/" + id)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString()).contains("from RDB file incident-dump.rdb");

        // the export with its RDB file imports, read-only, and an RDB file cannot be attached to the copy
        String imported = json.readTree(mvc.perform(post("/api/incidents/import").contentType(MediaType
                .APPLICATION_JSON).content(export(id, "json"))).andExpect(status().isCreated()).andReturn()
                .getResponse().getContentAsString()).get("id").asString();
        assertThat(json.readTree(mvc.perform(get("/api/incidents/" + imported)).andReturn().getResponse()
                .getContentAsString()).at("/capture/scan/rdb/name").asString()).isEqualTo("incident-dump.rdb");
        assertThat(problem("/api/incidents/" + imported + "/rdb/" + analysis.id(), 409).get("detail").asString())
                .contains("read-only");
    }

    @Test
    void refusals() throws Exception {
        RdbRecord done = analyse(dump, "ok.rdb");
        RdbRecord failed = analyse(Arrays.copyOf(dump, dump.length / 2), "truncated.rdb");
        assertThat(failed.status().name()).isEqualTo("FAILED");
        String id = capture(false);

        problem("/api/incidents/00000000-0000-0000-0000-000000000000/rdb/" + done.id(), 404);
        problem("/api/incidents/not-an-id/rdb/" + done.id(), 404);
        problem("/api/incidents/" + id + "/rdb/00000000-0000-0000-0000-000000000000", 404);
        problem("/api/incidents/" + id + "/rdb/<script>", 404);
        assertThat(problem("/api/incidents/" + id + "/rdb/" + failed.id(), 409).get("detail").asString())
                .contains("FAILED");

        // a capture's own scan results are never replaced
        String scanned = capture(true);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> "DONE".equals(
                json.readTree(mvc.perform(get("/api/incidents/" + scanned)).andReturn().getResponse()
                        .getContentAsString()).at("/capture/scan/status").asString()));
        problem("/api/incidents/" + scanned + "/rdb/" + done.id(), 409);
        assertThat(json.readTree(export(scanned, "json")).at("/capture/scan/rdb").isMissingNode()).isTrue();

        // the page's form: offered, refused without the CSRF token, refused with the reason, then attached
        assertThat(mvc.perform(get("/incidents/" + id)).andReturn().getResponse().getContentAsString())
                .contains("rdb-attach-form").contains("ok.rdb");
        mvc.perform(post("/incidents/" + id + "/rdb").param("rdbId", done.id())).andExpect(status().isForbidden());
        assertThat(mvc.perform(post("/incidents/" + id + "/rdb").with(csrf()).header("HX-Request", "true")
                .param("rdbId", failed.id())).andExpect(status()
                .isOk()).andReturn().getResponse().getContentAsString()).contains("Only a DONE analysis");
        assertThat(mvc.perform(post("/incidents/" + id + "/rdb").with(csrf()).param("rdbId", done.id())).andExpect(status()
                .isOk()).andReturn().getResponse().getContentAsString()).contains("from RDB file ok.rdb");
    }
}
