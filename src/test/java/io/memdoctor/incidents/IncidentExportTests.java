package io.memdoctor.incidents;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Watched;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The four exports of one incident captured on a password-protected Redis whose keyspace holds hostile key names:
 * each format has the diagnosis and the top keys, none has the password, hostile names come out inert, key names
 * can be redacted consistently, and the JSON export re-imports into the same incident.
 */
@DashboardTest
class IncidentExportTests {

    static final String PASSWORD = "Inc1dent-S3cret_pw";
    static final String IMG = "<img src=x onerror=alert(1)>";
    static final String FORMULA = "=HYPERLINK(\"x\")";
    /** How scans show it: redis-cli's escaping of the quotes. */
    static final String FORMULA_KEY = io.memdoctor.scans.engine.KeyNames.escape(
            FORMULA.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    @RegisterExtension
    static final Watched watched = new Watched();
    static final RedisServer redis = watched.start("--requirepass", PASSWORD, "--slowlog-log-slower-than", "0");
    static String id;

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @BeforeAll
    static void fill() {
        // the hostile keys are the biggest, so they lead every top-keys table
        cli("RPUSH", IMG, "x".repeat(2000), "y".repeat(2000), "z".repeat(2000));
        cli("SET", FORMULA, "v".repeat(5000));
        cli("RPUSH", "user:1001:feed", "a".repeat(1500));
        cli("SET", "user:bob@example.com:profile", "p".repeat(1200));
        for (int i = 0; i < 20; i++) {
            cli("SET", "session:" + i, "s");
        }
        // a value of plain words, which the key rule would keep: the slow log (everything is logged) holds it
        cli("SET", "motd", "launch code for Alice", "EX", "86400");
        watched.add("locked", "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port());
    }

    static String cli(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--no-auth-warning";
        all[1] = "-a";
        all[2] = PASSWORD;
        System.arraycopy(args, 0, all, 3, args.length);
        return redis.cli(all);
    }

    /** One incident for every test: captured with a scan, two notes (one hostile). */
    synchronized String incident(Sampler sampler, InstanceService instances) throws Exception {
        if (id != null) {
            return id;
        }
        for (int i = 0; i < 3; i++) {
            sampler.sample(instances.get("locked"));
        }
        String answer = mvc.perform(post("/api/instances/locked/incidents").contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\":\"Spike <b>now</b>\",\"note\":\"" + FORMULA.replace("\"", "\\\"") + "\",\"scan\":true}"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String created = json.readTree(answer).get("id").asString();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> "DONE".equals(
                json.readTree(body("/api/incidents/" + created)).at("/capture/scan/status").asString()));
        note(created, "{\"at\":\"2026-11-24T14:02:00Z\",\"text\":\"deploy 4.2 rolled out\"}");
        note(created, "{\"text\":\"<script>alert(2)</script> | `tick` [x](javascript:alert(3))\",\"author\":\"" + IMG + "\"}");
        id = created;
        return id;
    }

    @Autowired
    Sampler sampler;

    @Autowired
    InstanceService instances;

    @Test
    void everyFormatHasTheDiagnosisAndTopKeysAndNoPassword() throws Exception {
        String id = incident(sampler, instances);
        String verdict = json.readTree(body("/api/incidents/" + id)).at("/capture/diagnosis/verdict").asString();
        for (String format : List.of("json", "md", "csv", "html")) {
            MockHttpServletResponse response = download(id, format, false);
            assertThat(response.getHeader("Content-Disposition")).as(format).startsWith("attachment")
                    .contains("incident-locked-");
            String text = response.getContentAsString();
            assertThat(text).as(format).doesNotContain(PASSWORD);
            if (!format.equals("csv")) {
                assertThat(text).as(format).contains(verdict).contains("feed").contains("session");
            }
        }
        assertThat(download(id, "json", false).getContentAsString()).contains("redis://:***@127.0.0.1:" + redis.port());
        String md = download(id, "md", false).getContentAsString();
        assertThat(md).contains("## Diagnosis").contains("## Failing checks").contains("## Biggest keys and patterns")
                .contains("## Timeline").contains("## Appendix: raw facts").contains("deploy 4.2 rolled out")
                .contains("user:1001:feed").contains("(maxmemory-unset)").contains("redis-cli -h 127.0.0.1");
        String html = download(id, "html", false).getContentAsString();
        assertThat(html).contains("<svg class=\"chart\"").contains("user:1001:feed").contains("deploy 4.2 rolled out")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script")
                .doesNotContainPattern(Pattern.compile("<(link|img|iframe|object|embed)\\b"));
        assertThat(Pattern.compile("<polyline [^>]*points=\"([^\"]+)\"").matcher(html).find()).isTrue();
        for (String path : List.of("/api/incidents", "/api/incidents/" + id, "/incidents/" + id, "/incidents",
                "/api/incidents/" + id + "/export?format=csv&table=keys")) {
            assertThat(body(path)).as(path).doesNotContain(PASSWORD);
        }
    }

    @Test
    void hostileKeyNamesAndNotesComeOutInertInEveryFormat() throws Exception {
        String id = incident(sampler, instances);
        // JSON keeps them exactly, as data
        JsonNode exported = json.readTree(download(id, "json", false).getContentAsString());
        assertThat(exported.at("/capture/scan/results/topKeys").valueStream().map(k -> k.get("key").asString()))
                .contains(IMG, FORMULA_KEY);
        assertThat(download(id, "json", false).getContentType()).startsWith("application/json");

        // Markdown: outside code blocks every special character is escaped, so nothing renders as HTML or a link
        String md = download(id, "md", false).getContentAsString();
        String prose = md.replaceAll("(?s)(`{3,})[^\\n]*\\n.*?\\n\\1\\n", "");
        // every < outside code blocks is backslash-escaped: a literal character, never the start of a tag
        assertThat(prose).doesNotContainPattern(Pattern.compile("(?<!\\\\)<"))
                .doesNotContainPattern(Pattern.compile("(?<!\\\\)\\]\\(javascript")).doesNotContain("<b>")
                .contains("\\<img src=x onerror=alert(1)\\>").contains("\\<script\\>alert(2)\\</script\\>")
                .contains("\\[x\\](javascript:alert(3))").contains("=HYPERLINK(\\\\\"x\\\\\")");
        // a note's pipe cannot split its table row
        assertThat(prose.lines().filter(l -> l.contains("alert(2)")).findFirst().orElseThrow()).contains("\\|");

        // HTML: escaped text, never markup
        String html = download(id, "html", false).getContentAsString();
        assertThat(html).doesNotContain(IMG).doesNotContain("<script").doesNotContain("<b>now")
                .contains("&lt;img src=x onerror=alert(1)&gt;").contains("&lt;script&gt;alert(2)&lt;/script&gt;");

        // CSV: a formula-looking key or note is text; parsed back, the cell starts with '
        List<CSVRecord> keys = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(download(id, "csv&table=keys", false).getContentAsString())).getRecords();
        assertThat(keys).extracting(r -> r.get("key")).contains("'" + FORMULA_KEY, IMG).doesNotContain(FORMULA_KEY);
        assertThat(keys).allSatisfy(r -> assertThat(r.get("key")).doesNotStartWith("=").doesNotStartWith("+")
                .doesNotStartWith("-").doesNotStartWith("@"));

        // and the incident page shows them as text
        String page = body("/incidents/" + id);
        assertThat(page).doesNotContain(IMG).doesNotContain("<script>alert(2)").contains("&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void theCsvIsTheWindowsTimeSeries() throws Exception {
        String id = incident(sampler, instances);
        int samples = json.readTree(body("/api/incidents/" + id)).at("/capture/samples").size();
        String csv = download(id, "csv", false).getContentAsString();
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertThat(rows).hasSize(samples).isNotEmpty();
        assertThat(rows.get(0).toMap()).containsKeys("timestamp", "status", "used_memory", "used_memory_rss",
                "mem_fragmentation_ratio", "evicted_keys", "maxmemory_policy");
        // every OK row carries the figures; a failed sample (if any) is a row with its status and error only
        List<CSVRecord> ok = rows.stream().filter(r -> "OK".equals(r.get("status"))).toList();
        assertThat(ok).isNotEmpty().allSatisfy(r -> assertThat(Long.parseLong(r.get("used_memory"))).isPositive());
        mvc.perform(get("/api/incidents/" + id + "/export?format=xls")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/incidents/" + id + "/export?format=csv&table=x")).andExpect(status().isBadRequest());

        // a raw range without an incident
        String range = mvc.perform(get("/api/instances/locked/snapshots/export?format=csv")).andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", org.hamcrest.Matchers.startsWith("attachment")))
                .andReturn().getResponse().getContentAsString();
        assertThat(range.lines().count()).isGreaterThan(1);
        assertThat(range.lines().findFirst().orElseThrow()).startsWith("timestamp,status,error,redis_version");
        String rangeJson = mvc.perform(get("/api/instances/locked/snapshots/export?format=json"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(rangeJson).get(0).has("usedMemory")).isTrue();
        mvc.perform(get("/api/instances/locked/snapshots/export?format=pdf")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/instances/locked/snapshots/export?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/instances/nope/snapshots/export")).andExpect(status().isNotFound());
    }

    @Test
    void theJsonExportReimportsIntoTheSameIncident() throws Exception {
        String id = incident(sampler, instances);
        String exported = download(id, "json", false).getContentAsString();
        JsonNode first = json.readTree(exported);
        assertThat(first.get("schema").asString()).isEqualTo("redis-memory-doctor/incident");
        assertThat(first.get("schemaVersion").asInt()).isEqualTo(1);

        String answer = mvc.perform(post("/api/incidents/import").contentType(MediaType.APPLICATION_JSON)
                .content(exported)).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String copy = json.readTree(answer).get("id").asString();
        assertThat(copy).isNotEqualTo(id);
        JsonNode second = json.readTree(download(copy, "json", false).getContentAsString());
        assertThat(second.get("imported").asBoolean()).isTrue();
        assertThat(second.get("source").asString()).contains("imported");
        assertThat(comparable(second)).isEqualTo(comparable(first));

        // read-only: no notes on another team's record
        mvc.perform(post("/api/incidents/" + copy + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"text\":\"x\"}")).andExpect(status().isConflict());
        assertThat(body("/incidents/" + copy)).contains("read-only").doesNotContain("id=\"note-form\"");
    }

    @Test
    void redactedKeysHashIdsConsistentlyAndKeepPatternsReadable() throws Exception {
        String id = incident(sampler, instances);
        String redactedJson = download(id, "json", true).getContentAsString();
        JsonNode doc = json.readTree(redactedJson);
        assertThat(doc.get("keysRedacted").asBoolean()).isTrue();
        List<String> keys = doc.at("/capture/scan/results/topKeys").valueStream().map(k -> k.get("key").asString())
                .toList();
        String feed = keys.stream().filter(k -> k.startsWith("user:<h:") && k.endsWith(":feed")).findFirst()
                .orElseThrow();
        assertThat(feed).matches("user:<h:[0-9a-f]{16}>:feed");
        assertThat(keys).anyMatch(k -> k.matches("user:<h:[0-9a-f]{16}>:profile"))
                .anyMatch(k -> k.matches("session:<h:[0-9a-f]{16}>"));
        for (String format : List.of("json", "md", "csv&table=keys", "csv&table=patterns", "html")) {
            String text = download(id, format, true).getContentAsString();
            assertThat(text).as(format).doesNotContain("1001").doesNotContain("bob@example.com")
                    .doesNotContain(PASSWORD).doesNotContain("launch code").doesNotContain("Alice");
        }
        // the slow log keeps the command, the key's shape and option words; the value and the number are hashed
        List<String> motd = doc.at("/capture/facts/slowlog/value").valueStream()
                .map(e -> e.get("command").valueStream().map(JsonNode::asString).toList())
                .filter(command -> command.size() == 5 && command.get(1).equals("motd")).findFirst().orElseThrow();
        assertThat(motd.get(0)).isEqualTo("SET");
        assertThat(motd.get(2)).matches("<h:[0-9a-f]{16}>");
        assertThat(motd.get(3)).isEqualTo("EX");
        assertThat(motd.get(4)).matches("<h:[0-9a-f]{16}>");
        assertThat(download(id, "json", false).getContentAsString()).contains("launch code for Alice");
        // the same id gives the same hash in every format and every export
        String hash = feed.substring(5, 25);
        assertThat(download(id, "json", true).getContentAsString()).contains(hash);
        assertThat(download(id, "csv&table=keys", true).getContentAsString()).contains(hash);
        assertThat(download(id, "md", true).getContentAsString()).contains(hash.replace("<", "\\<").replace(">", "\\>"));
        assertThat(download(id, "html", true).getContentAsString()).contains(hash.replace("<", "&lt;").replace(">", "&gt;"));
        assertThat(download(id, "json", false).getContentAsString()).contains("user:1001:feed");
    }

    private static JsonNode comparable(JsonNode node) {
        ObjectNode copy = (ObjectNode) node.deepCopy();
        List.of("id", "imported", "source", "exportedAt").forEach(copy::remove);
        return copy;
    }

    private MockHttpServletResponse download(String id, String format, boolean redact) throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/api/incidents/" + id + "/export?format=" + format
                + (redact ? "&redactKeys=true" : ""))).andExpect(status().isOk()).andReturn().getResponse();
        response.setCharacterEncoding("UTF-8");
        return response;
    }

    private void note(String id, String body) throws Exception {
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated());
    }

    private String body(String path) throws Exception {
        MockHttpServletResponse response = mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse();
        response.setCharacterEncoding("UTF-8");
        return response.getContentAsString();
    }
}
