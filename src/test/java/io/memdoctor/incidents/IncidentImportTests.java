package io.memdoctor.incidents;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A broken import is refused with a clear 400 and stores nothing; a good one becomes a read-only incident. */
@DashboardTest
@PrivateRedis(instance = "import-source")
class IncidentImportTests {

    static RedisServer redis;
    static String exported;

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Sampler sampler;

    @Autowired
    InstanceService instances;

    @BeforeEach
    void oneExport() throws Exception {
        if (exported != null) {
            return;
        }
        sampler.sample(instances.get("import-source"));
        String answer = mvc.perform(post("/api/instances/import-source/incidents").contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\":\"to export\"}")).andExpect(status().isCreated()).andReturn().getResponse()
                .getContentAsString();
        String id = json.readTree(answer).get("id").asString();
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"text\":\"first note\"}")).andExpect(status().isCreated());
        exported = mvc.perform(get("/api/incidents/" + id + "/export?format=json")).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void malformedTruncatedWrongVersionAndEmptyFilesAreRefusedAndStoreNothing() throws Exception {
        refused("", "empty");
        refused("   ", "not complete, valid JSON");
        refused("{not json", "not complete, valid JSON");
        refused(exported.substring(0, exported.length() / 2), "truncated");
        refused(exported.substring(0, exported.length() - 2), "truncated");
        refused(exported + "{}", "not complete, valid JSON");
        refused("[1, 2, 3]", "not complete, valid JSON");
        refused("{\"hello\":\"world\"}", "not an incident export");
        refused(edit(d -> d.put("schemaVersion", 2)), "schemaVersion is 2");
        refused(edit(d -> d.put("schemaVersion", "1")), "schemaVersion");
        refused(edit(d -> d.remove("schemaVersion")), "schemaVersion");
        refused(edit(d -> d.remove("capture")), "no capture");
        refused(edit(d -> d.remove("title")), "no title");
        refused(edit(d -> d.put("capturedAt", "yesterday")), "wrong shape at capturedAt");
        refused(edit(d -> ((ObjectNode) d.get("capture")).put("samples", "many")), "wrong shape");
        refused(edit(d -> d.put("instanceUrl", "redis://:hunter2@10.0.0.1:6379")), "password");
        refused(edit(d -> d.put("instanceUrl", "http://example.com")), "redis://");
        refused(edit(d -> d.put("instanceId", "../etc")), "instanceId");
        refused(edit(d -> d.put("windowFrom", d.get("windowTo").asString())), "windowFrom");
        refused(edit(d -> d.put("title", "t".repeat(201))), "title");
        refused(edit(d -> ((ObjectNode) d.at("/capture/samples/0")).put("timestamp", "noon")), "timestamp");
        refused(edit(d -> ((ObjectNode) d.at("/capture/facts")).putNull("info")), "command");
        refused(edit(d -> ((ObjectNode) d.at("/capture/checks/0")).remove("severity")), "wrong shape");
        refused(edit(d -> ((ObjectNode) d.at("/capture/diagnosis")).remove("verdict")), "wrong shape");
        refused(edit(d -> ((ObjectNode) d.get("capture")).putObject("scan").put("status", "DONE")
                .putObject("results").put("keys", 1).put("keysVanished", 0).put("keysUnreadable", 0)
                .put("keysWithTtl", 0).put("memoryUsageAvailable", true)), "scan results are incomplete");
        refused(edit(d -> ((ObjectNode) d.get("capture")).putObject("scan").putObject("results").put("keys", 1)),
                "at capture.scan.results.keysVanished");
        refused(edit(d -> ((ObjectNode) d.at("/capture/samples/0")).putNull("timestamp")), "timestamp");
        // a bad note at the very end still refuses the whole file: all or nothing
        refused(edit(d -> ((ArrayNode) d.get("notes")).addObject().put("at", "2026-11-24T14:00:00Z")),
                "Every note needs");
    }

    @Test
    void oversizedFieldsAndTooManyElementsAreRefusedWithWhereAndStoreNothing() throws Exception {
        refused(edit(d -> d.put("instanceUrl", "redis://" + "h".repeat(700) + ":6379")),
                "instanceUrl is longer than 600");
        refused(edit(d -> ((ObjectNode) d.at("/capture/facts/info")).put("value", "x".repeat(100_001))),
                "capture.facts.info.value is longer than 100000 characters");
        refused(edit(d -> {
            ObjectNode facts = (ObjectNode) d.at("/capture/facts");
            for (int i = 0; i < 2_001; i++) {
                facts.putObject("extra" + i).put("command", "INFO");
            }
        }), "capture.facts has more than 2000 fields");
        refused(edit(d -> {
            ArrayNode checks = (ArrayNode) d.at("/capture/checks");
            for (int i = 0; i < 20_001; i++) {
                checks.add(checks.get(0).deepCopy());
            }
        }), "capture.checks has more than 20000 elements");
        refused(edit(d -> {
            ObjectNode deep = (ObjectNode) d.at("/capture/facts/info");
            for (int i = 0; i < 40; i++) {
                deep = deep.putObject("value");
            }
        }), "nested deeper than 32 levels");
        refused(edit(d -> ((ObjectNode) d.get("capture")).putObject("scan").put("scanId", "s".repeat(37))
                .put("status", "DONE")), "capture.scan.scanId is longer than 36");
    }

    @Test
    void anOversizedImportIsRefusedWithoutReadingIt() throws Exception {
        long before = count();
        byte[] huge = new byte[21 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        mvc.perform(post("/api/incidents/import").contentType(MediaType.APPLICATION_JSON).content(huge))
                .andExpect(status().isPayloadTooLarge()).andExpect(jsonPath("$.title").value("File too large"));
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void theImportPageRefusesABrokenFileAndShowsAGoodOne() throws Exception {
        long before = count();
        String page = mvc.perform(multipart("/incidents/import").with(csrf()).file(new MockMultipartFile("file", "broken.json",
                        "application/json", "{\"schema\":".getBytes(StandardCharsets.UTF_8))))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("not complete, valid JSON");
        mvc.perform(multipart("/incidents/import").with(csrf())).andExpect(status().isBadRequest());
        assertThat(count()).isEqualTo(before);

        String location = mvc.perform(multipart("/incidents/import").with(csrf()).file(new MockMultipartFile("file",
                        "incident.json", "application/json", exported.getBytes(StandardCharsets.UTF_8))))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrlPattern("/incidents/*"))
                .andReturn().getResponse().getRedirectedUrl();
        assertThat(count()).isEqualTo(before + 1);
        String shown = mvc.perform(get(location)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(shown).contains("to export").contains("imported").contains("incident.json")
                .contains("first note").doesNotContain("id=\"note-form\"");
    }

    private void refused(String body, String message) throws Exception {
        long before = count();
        long notes = jdbc.queryForObject("SELECT COUNT(*) FROM incident_note", Long.class);
        mvc.perform(post("/api/incidents/import").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(message)));
        assertThat(count()).as(message).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM incident_note", Long.class)).isEqualTo(notes);
    }

    private String edit(Consumer<ObjectNode> change) {
        ObjectNode document = (ObjectNode) json.readTree(exported);
        change.accept(document);
        return json.writeValueAsString(document);
    }

    private long count() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM incident", Long.class);
    }
}
