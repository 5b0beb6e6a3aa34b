package io.memdoctor.instances;

import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A memory limit declared for a real Redis with maxmemory 0 (as in a container, where INFO shows the host's memory):
 * the overview, the checks, the diagnosis and the forecast measure against it; maxmemory above it is CRITICAL; bad
 * values are 400s (problem details on the API, a message on the page); clearing it gives the host back.
 */
@DashboardTest
@PrivateRedis(instance = "pod redis")
class MemoryLimitApiTests {

    static final String ID = "pod-redis";
    static RedisServer server;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    long sampledUsedMemory() {
        return sampler.sample(instances.get(ID)).getLong(io.memdoctor.snapshots.Metric.USED_MEMORY);
    }

    JsonNode card() throws Exception {
        JsonNode overview = JSON.readTree(mvc.perform(get("/api/overview").param("q", "pod redis")).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString());
        for (JsonNode group : overview.get("groups")) {
            for (JsonNode card : group.get("cards")) {
                if (card.get("id").asString().equals(ID)) {
                    return card;
                }
            }
        }
        throw new AssertionError("no card for " + ID + " in " + overview);
    }

    void limit(Object bytes) throws Exception {
        mvc.perform(put("/api/instances/" + ID + "/memory-limit").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"memoryLimit\": " + bytes + "}"))
                .andExpect(status().isOk())
                .andExpect(bytes == null ? jsonPath("$.memoryLimit").doesNotExist()
                        : jsonPath("$.memoryLimit").value(Long.parseLong(bytes.toString())));
    }

    @Test
    void aDeclaredLimitIsTheCeilingEverywhereAndClearingItGivesTheHostBack() throws Exception {
        // a few MB of data, so used_memory is the data's and moves little between samples
        server.cli("EVAL", "for i = 1, 20000 do redis.call('SET', 'k' .. i, string.rep('x', 100)) end", "0");
        long used = sampledUsedMemory();
        long limit = 2 * used;
        limit(limit);
        mvc.perform(get("/api/instances/" + ID)).andExpect(jsonPath("$.memoryLimit").value(limit));
        sampledUsedMemory();

        JsonNode card = card();
        assertThat(card.get("memoryLimit").asLong()).isEqualTo(limit);
        assertThat(card.get("ceiling").asString()).isEqualTo("memory-limit");
        assertThat(card.get("maxmemory").asLong()).isZero();
        assertThat(card.get("usedMemory").asDouble() / limit).isCloseTo(0.5, within(0.05));
        assertThat(card.get("usedMemory").asDouble() / card.get("totalSystemMemory").asDouble()).isLessThan(0.05);
        String cards = mvc.perform(get("/").header("HX-Request", "true")).andReturn().getResponse().getContentAsString();
        assertThat(cards).contains("memory limit (declared)").contains("max=\"" + limit + "\"");

        // the instance page says what it measures against, and shows the editor
        String page = mvc.perform(get("/instances/" + ID)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("Measured against").contains("memory limit (declared)")
                .contains("id=\"memory-limit-editor\"").contains("value=\"" + MemoryLimit.text(limit) + "\"");

        // the checks: no maxmemory, sized from the limit
        JsonNode checks = JSON.readTree(mvc.perform(get("/api/instances/" + ID + "/checks")).andReturn().getResponse()
                .getContentAsString());
        JsonNode unset = find(checks, "maxmemory-unset");
        assertThat(unset.get("evidence").asString()).containsPattern("memory limit \\(declared\\) \\((49|50|51)%\\)");
        assertThat(unset.get("remedy").asString()).contains("75% of the");

        // the diagnosis measures against the limit too, once it has samples enough (samples taken within a second
        // give the forecast no trend: ForecastApiTests dates a stored climb against a declared limit)
        for (int i = 0; i < 8; i++) {
            sampledUsedMemory();
        }
        mvc.perform(get("/api/instances/" + ID + "/diagnosis")).andExpect(status().isOk())
                .andExpect(jsonPath("$.severity").value("INFO"))
                .andExpect(jsonPath("$.evidence").value(org.hamcrest.Matchers.hasItem(
                        containsString("against memory limit (declared)"))));
        // a container barely above the data: no headroom left, whatever the host has
        limit((long) (sampledUsedMemory() * 1.03));
        mvc.perform(get("/api/instances/" + ID + "/diagnosis"))
                .andExpect(jsonPath("$.severity").value("CRITICAL"));
        limit(limit);

        // maxmemory above the limit: eviction would never start before the OOM killer
        server.cli("CONFIG", "SET", "maxmemory", Long.toString(4 * limit));
        try {
            sampledUsedMemory();
            JsonNode above = find(JSON.readTree(mvc.perform(get("/api/instances/" + ID + "/checks")).andReturn()
                    .getResponse().getContentAsString()), "maxmemory-above-limit");
            assertThat(above.get("severity").asString()).isEqualTo("CRITICAL");
            assertThat(above.get("evidence").asString()).contains("maxmemory " + io.memdoctor.format.Units.bytes(4 * limit))
                    .contains("memory limit (declared) " + io.memdoctor.format.Units.bytes(limit));
            assertThat(above.get("remedy").asString()).startsWith("CONFIG SET maxmemory ").contains("CONFIG REWRITE");
            assertThat(card().get("ceiling").asString()).isEqualTo("memory-limit");
        }
        finally {
            server.cli("CONFIG", "SET", "maxmemory", "0");
        }

        // cleared: the host's memory again
        limit(null);
        sampledUsedMemory();
        assertThat(card().get("ceiling").asString()).isEqualTo("system");
        assertThat(card().path("memoryLimit").isNull() || card().path("memoryLimit").isMissingNode()).isTrue();
        assertThat(find(JSON.readTree(mvc.perform(get("/api/instances/" + ID + "/checks")).andReturn().getResponse()
                .getContentAsString()), "maxmemory-unset").get("evidence").asString())
                .contains("host memory (total_system_memory)");
    }

    @Test
    void badLimitsAre400ProblemDetailsAndNothingChanges() throws Exception {
        Long before = instances.get(ID).memoryLimit();
        String[] bad = {"-1", "0", "\"lots\"", "1e30", "99999999999999999999", Long.toString(1L << 62), "1000"};
        for (String value : bad) {
            mvc.perform(put("/api/instances/" + ID + "/memory-limit").with(csrf())
                            .contentType(MediaType.APPLICATION_JSON).content("{\"memoryLimit\": " + value + "}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail").isNotEmpty());
            mvc.perform(post("/api/instances").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                            .content("{\"name\": \"bad pod\", \"url\": \"redis://127.0.0.1:16\", \"memoryLimit\": "
                                    + value + "}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
        mvc.perform(put("/api/instances/" + ID + "/memory-limit").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"memoryLimit\": 0}"))
                .andExpect(jsonPath("$.detail").value(containsString("positive number of bytes")));
        mvc.perform(put("/api/instances/nobody-here/memory-limit").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"memoryLimit\": 1073741824}"))
                .andExpect(status().isNotFound());
        assertThat(instances.find(InstanceId.of("bad-pod"))).isEmpty();
        assertThat(instances.get(ID).memoryLimit()).isEqualTo(before);
    }

    @Test
    void addedWithALimitFromTheApiAndTheForm() throws Exception {
        mvc.perform(post("/api/instances").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"pod api\", \"url\": \"redis://127.0.0.1:17\", \"memoryLimit\": 1073741824}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.memoryLimit").value(1073741824L));
        String added = mvc.perform(post("/instances").with(csrf()).header("HX-Request", "true")
                        .param("name", "pod form").param("url", "redis://127.0.0.1:18").param("memoryLimitText", "512MB"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(added).contains("Added pod form");
        assertThat(instances.get("pod-form").memoryLimit()).isEqualTo(512L * 1024 * 1024);
        String refused = mvc.perform(post("/instances").with(csrf()).header("HX-Request", "true")
                        .param("name", "pod refused").param("url", "redis://127.0.0.1:19").param("memoryLimitText", "lots"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("the memory limit must be a size such as 1GB").contains("value=\"lots\"");
        assertThat(instances.find(InstanceId.of("pod-refused"))).isEmpty();
        instances.remove("pod-api");
        instances.remove("pod-form");
    }

    @Test
    void theInstancePageSetsAndClearsTheLimitWithAReadableMessageForABadOne() throws Exception {
        String saved = mvc.perform(post("/instances/" + ID + "/memory-limit").with(csrf()).header("HX-Request", "true")
                        .param("memoryLimit", "1 GiB"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(saved).startsWith("<div").contains("Memory limit saved.").contains("1.0 GB");
        assertThat(instances.get(ID).memoryLimit()).isEqualTo(1L << 30);

        String refused = mvc.perform(post("/instances/" + ID + "/memory-limit").with(csrf()).header("HX-Request", "true")
                        .param("memoryLimit", "<b>-5GB"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("the memory limit must be a size such as 1GB").contains("&lt;b&gt;-5GB")
                .doesNotContain("<b>-5");
        assertThat(instances.get(ID).memoryLimit()).isEqualTo(1L << 30);
        String page = mvc.perform(post("/instances/" + ID + "/memory-limit").with(csrf()).param("memoryLimit", "0"))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("positive number of bytes");

        mvc.perform(post("/instances/" + ID + "/memory-limit").with(csrf()).param("memoryLimit", ""))
                .andExpect(status().is3xxRedirection());
        assertThat(instances.get(ID).memoryLimit()).isNull();
    }

    static JsonNode find(JsonNode checks, String id) {
        for (JsonNode check : checks) {
            if (check.get("id").asString().equals(id)) {
                return check;
            }
        }
        throw new AssertionError("no check " + id + " in " + checks);
    }
}
