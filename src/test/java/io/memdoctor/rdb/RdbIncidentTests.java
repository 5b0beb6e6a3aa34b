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
 * imports; an incident holds its live scan and the file side by side; the report shows each top key's database
 * and fixes (commands with {@code -n DB}), hostile names escaped in the page and every export; and the refusals
 * (unknown ids, an analysis not DONE, an imported incident) are 4xx.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RdbIncidentTests {

    /** Only in the file, never on the live server, and hostile to a page or a Markdown table. */
    static final String BIG = "backup:<b>feed</b>|x";
    /** A big list in db 3 whose name is HTML, a CSV formula, shell quotes and a newline. */
    static final String HOSTILE = "=cmd|' /C calc'!A0<img src=x onerror=alert(1)>\nline \"q\"";
    /** How the report shows it (redis-cli's escaped form). */
    static final String HOSTILE_SHOWN = "=cmd|' /C calc'!A0<img src=x onerror=alert(1)>\\nline \\\"q\\\"";
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
            r.call("SELECT", 3);
            for (int i = 0; i < 6_000; i += 100) {
                java.util.List<Object> push = new java.util.ArrayList<>(java.util.List.of("RPUSH", HOSTILE));
                for (int j = i; j < i + 100; j++) {
                    push.add("item-" + j);
                }
                r.send(push.toArray());
            }
            r.sync();
            r.call("SELECT", 0);
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

    private String csv(String id, String table) throws Exception {
        return mvc.perform(get("/api/incidents/" + id + "/export").param("format", "csv").param("table", table))
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
        JsonNode scan = attached.at("/capture/rdb");
        assertThat(attached.at("/capture/scan").isNull() || attached.at("/capture/scan").isMissingNode()).isTrue();
        assertThat(scan.at("/rdb/name").asString()).isEqualTo("incident-dump.rdb");
        assertThat(scan.at("/rdb/rdbVersion").asInt()).isEqualTo(analysis.report().rdbVersion());
        assertThat(scan.at("/rdb/redisVersion").asString()).isEqualTo(analysis.report().aux().get("redis-ver"));
        // the hostile list of db 3 first (6,000 items), then the 300 of BIG
        assertThat(scan.at("/results/topKeys/1/key").asString()).isEqualTo(BIG);

        JsonNode exported = json.readTree(export(id, "json"));
        assertThat(exported.at("/capture/rdb/results/topKeys/1/key").asString()).isEqualTo(BIG);
        assertThat(exported.at("/capture/rdb/results/topKeys/1/elements").asLong()).isEqualTo(300);
        assertThat(exported.at("/capture/rdb/results/topKeys/1/db").asInt()).isZero();
        assertThat(exported.at("/capture/rdb/results/topKeys/0/db").asInt()).isEqualTo(3);
        assertThat(exported.at("/capture/rdb/rdb/name").asString()).isEqualTo("incident-dump.rdb");

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
                .getContentAsString()).at("/capture/rdb/rdb/name").asString()).isEqualTo("incident-dump.rdb");
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

    @Test
    void anIncidentHoldsItsScanAndTheFileSideBySide() throws Exception {
        RdbRecord analysis = analyse(dump, "backup.rdb");
        String id = capture(true);
        // attached at once, the scan perhaps still running: its end is attached beside the file, not over it
        mvc.perform(post("/api/incidents/" + id + "/rdb/" + analysis.id())).andExpect(status().isOk());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> "DONE".equals(
                json.readTree(mvc.perform(get("/api/incidents/" + id)).andReturn().getResponse()
                        .getContentAsString()).at("/capture/scan/status").asString()));

        JsonNode both = json.readTree(mvc.perform(get("/api/incidents/" + id)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        assertThat(both.at("/capture/scan/status").asString()).isEqualTo("DONE");
        assertThat(both.at("/capture/scan/rdb").isMissingNode()).isTrue();
        assertThat(both.at("/capture/scan/results/topKeys").findValuesAsString("key")).contains("live:key")
                .doesNotContain(BIG);
        assertThat(both.at("/capture/rdb/rdb/name").asString()).isEqualTo("backup.rdb");
        assertThat(both.at("/capture/rdb/results/topKeys").findValuesAsString("key")).contains(BIG)
                .doesNotContain("live:key");

        // a second file replaces the first, the scan stays
        RdbRecord again = analyse(dump, "backup-2.rdb");
        JsonNode replaced = json.readTree(mvc.perform(post("/api/incidents/" + id + "/rdb/" + again.id()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(replaced.at("/capture/rdb/rdb/name").asString()).isEqualTo("backup-2.rdb");
        assertThat(replaced.at("/capture/scan/results/topKeys").findValuesAsString("key")).contains("live:key");

        String page = mvc.perform(get("/incidents/" + id)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("live:key").contains("Keys from RDB file backup-2.rdb").contains("&lt;b&gt;feed")
                .doesNotContain("<b>feed").doesNotContain("<img src=x");
        String markdown = export(id, "md");
        assertThat(markdown).contains("live:key").contains("### Keys from RDB file backup-2.rdb")
                .contains("| Key | DB | Type |").contains("-n 3 --quoted-input LTRIM");
        // in the table the name is escaped; the commands are in a fenced block, literal by definition
        assertThat(markdown.lines().filter(line -> line.startsWith("| ") && line.contains("calc")
                && line.contains(" | list | ")))
                .singleElement().satisfies(line -> assertThat(line).doesNotContain("<img src=x onerror=alert(1)>")
                        .contains(" | 3 | list | "));
        String html = export(id, "html");
        assertThat(html).contains("live:key").contains("Keys from RDB file backup-2.rdb").contains("<th>DB</th>")
                .doesNotContain("<img src=x").doesNotContain("<b>feed");
        String scanKeys = csv(id, "keys");
        assertThat(scanKeys).contains("live:key").doesNotContain("backup:");
        String fileKeys = csv(id, "rdb-keys");
        assertThat(fileKeys.lines().findFirst()).hasValue("key,type,bytes,elements,ttl_seconds,db,node");
        java.util.List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.RFC4180.builder()
                .setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(fileKeys)).getRecords();
        assertThat(rows).filteredOn(row -> row.get("db").equals("3")).singleElement().satisfies(row -> {
            // the formula is text in a spreadsheet: SafeCsv's quote before it
            assertThat(row.get("key")).isEqualTo("'" + HOSTILE_SHOWN);
            assertThat(row.get("elements")).isEqualTo("6000");
            assertThat(row.get("node")).isEmpty();
        });
        assertThat(rows).filteredOn(row -> row.get("key").equals(BIG)).singleElement()
                .satisfies(row -> assertThat(row.get("db")).isEqualTo("0"));

        // both survive an export and its import, and the key redaction
        String imported = json.readTree(mvc.perform(post("/api/incidents/import").contentType(MediaType
                .APPLICATION_JSON).content(export(id, "json"))).andExpect(status().isCreated()).andReturn()
                .getResponse().getContentAsString()).get("id").asString();
        JsonNode copy = json.readTree(mvc.perform(get("/api/incidents/" + imported)).andReturn().getResponse()
                .getContentAsString());
        assertThat(copy.at("/capture/scan/status").asString()).isEqualTo("DONE");
        assertThat(copy.at("/capture/rdb/rdb/name").asString()).isEqualTo("backup-2.rdb");
        JsonNode redacted = json.readTree(mvc.perform(get("/api/incidents/" + id + "/export").param("format", "json")
                .param("redactKeys", "true")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString());
        assertThat(redacted.at("/capture/scan/results/topKeys").findValuesAsString("key")).contains("live:key");
        assertThat(redacted.at("/capture/rdb/results/topKeys").findValuesAsString("key"))
                .noneMatch(key -> key.matches("small:\\d+")).anyMatch(key -> key.startsWith("small:<h:"));
    }

    @Test
    void theReportShowsEachTopKeysDatabaseAndItsFixes() throws Exception {
        RdbRecord analysis = analyse(dump, "fixes.rdb");
        RdbReport report = analysis.report();
        assertThat(report.results().topKeys()).anySatisfy(k -> {
            assertThat(k.key()).isEqualTo(HOSTILE_SHOWN);
            assertThat(k.db()).isEqualTo(3);
        });
        assertThat(report.results().topKeys()).filteredOn(k -> k.key().equals(BIG)).singleElement()
                .satisfies(k -> assertThat(k.db()).isZero());

        JsonNode api = json.readTree(mvc.perform(get("/api/rdb/" + analysis.id())).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        JsonNode hostile = null;
        for (JsonNode key : api.get("topKeys")) {
            if (HOSTILE_SHOWN.equals(key.get("key").asString())) {
                hostile = key;
            }
        }
        assertThat(hostile).isNotNull();
        assertThat(hostile.get("db").asInt()).isEqualTo(3);

        String page = mvc.perform(get("/rdb/" + analysis.id())).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        assertThat(page).contains("Fix to consider").contains(">DB</button>")
                .contains("A list of 6,000 items").contains("redis-cli -n 3 --quoted-input LTRIM")
                .contains("redis-cli -n 3 --quoted-input EXPIRE")
                .contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img src=x")
                .doesNotContain("<b>feed");
        // the DB cell of the hostile key's row
        assertThat(page).containsPattern("data-value=\"3\"[^>]*>3</td>");
    }
}
