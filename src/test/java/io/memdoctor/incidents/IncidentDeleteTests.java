package io.memdoctor.incidents;

import java.util.Map;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Deleting an incident removes it and its notes, and nothing else; a missing one is a 404, not a 500. Counts are
 * of this class's instance: other classes sharing the context keep incidents of their own.
 */
@DashboardTest
@PrivateRedis(instance = IncidentDeleteTests.DELETE)
class IncidentDeleteTests {

    static final String DELETE = "delete-cache";

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

    @Test
    void theApiDeletesAnIncidentWithItsNotesAndLeavesTheOthersAndTheHistory() throws Exception {
        sampler.sample(instances.get(DELETE));
        String kept = capture("kept");
        String doomed = capture("taken by mistake");
        note(kept, "kept note");
        note(doomed, "first");
        note(doomed, "second");
        long samples = count("SELECT COUNT(*) FROM snapshot WHERE instance_id = '" + DELETE + "'");

        mvc.perform(delete("/api/incidents/" + doomed)).andExpect(status().isNoContent());

        mvc.perform(get("/api/incidents/" + doomed)).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/incidents/" + doomed + "/export?format=md")).andExpect(status().isNotFound());
        assertThat(count("SELECT COUNT(*) FROM incident_note WHERE incident_id = '" + doomed + "'")).isZero();
        mvc.perform(get("/api/incidents"))
                .andExpect(jsonPath("$[?(@.instanceId == '" + DELETE + "')].id").value(contains(kept)))
                .andExpect(jsonPath("$[?(@.id == '" + kept + "')].notes").value(contains(1)));
        mvc.perform(get("/api/incidents/" + kept)).andExpect(status().isOk())
                .andExpect(jsonPath("$.notes[0].text").value("kept note"));
        assertThat(count("SELECT COUNT(*) FROM snapshot WHERE instance_id = '" + DELETE + "'")).isEqualTo(samples);

        // again, or an id that never was: 404 problem details, nothing else touched
        mvc.perform(delete("/api/incidents/" + doomed)).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").isString());
        mvc.perform(delete("/api/incidents/not-an-incident")).andExpect(status().is4xxClientError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(count("SELECT COUNT(*) FROM incident WHERE instance_id = '" + DELETE + "'")).isEqualTo(1);
    }

    @Test
    void thePageButtonDeletesAndSendsTheBrowserBackToTheList() throws Exception {
        sampler.sample(instances.get(DELETE));
        String id = capture("from the page");

        mvc.perform(get("/incidents/" + id)).andExpect(status().isOk())
                .andExpect(content().string(containsString("hx-delete=\"/incidents/" + id)));
        mvc.perform(delete("/incidents/" + id).with(csrf()).header("HX-Request", "true"))
                .andExpect(status().isOk()).andExpect(header().string("HX-Redirect", "/incidents"));
        mvc.perform(get("/incidents/" + id)).andExpect(status().isNotFound());
    }

    private String capture(String title) throws Exception {
        String answer = mvc.perform(post("/api/instances/" + DELETE + "/incidents").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("title", title)))).andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return json.readTree(answer).get("id").asString();
    }

    private void note(String id, String text) throws Exception {
        mvc.perform(post("/api/incidents/" + id + "/notes").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("text", text)))).andExpect(status().isCreated());
    }

    private long count(String sql) {
        Long count = jdbc.queryForObject(sql, Long.class);
        return count == null ? 0 : count;
    }
}
