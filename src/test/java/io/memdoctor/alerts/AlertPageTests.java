package io.memdoctor.alerts;

import java.time.Instant;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.SnapshotRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static io.memdoctor.alerts.AlertEngineTests.MB;
import static io.memdoctor.alerts.AlertEngineTests.sample;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The alerts page with users configured: an operator edits an instance's own rule settings and silences a firing
 * alert from its row; a viewer sees neither action and is refused when posting them.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
// users configured (login mode), and each test starts from the engine's and the rules' state of a fresh start
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class AlertPageTests {

    static final RequestPostProcessor OPERATOR = SecurityMockMvcRequestPostProcessors.user("otto")
            .roles("VIEWER", "OPERATOR");
    static final RequestPostProcessor VIEWER = SecurityMockMvcRequestPostProcessors.user("vera").roles("VIEWER");

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository snapshots;

    @Autowired
    AlertEngine engine;

    InstanceId id;

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        registry.add("memdoctor.security.users[0].name", () -> "vera");
        registry.add("memdoctor.security.users[0].password", () -> bcrypt.encode("viewer-pw"));
        registry.add("memdoctor.security.users[0].role", () -> "VIEWER");
        registry.add("memdoctor.security.users[1].name", () -> "otto");
        registry.add("memdoctor.security.users[1].password", () -> bcrypt.encode("operator-pw"));
        registry.add("memdoctor.security.users[1].role", () -> "OPERATOR");
    }

    /** One instance on a port nothing listens on, after its first (failed) sample so it cannot race the test's. */
    @BeforeEach
    void instance() throws InterruptedException {
        id = instances.add("paged", "redis://127.0.0.1:11").id();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (snapshots.latest(id).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void anOperatorSetsAnInstancesOwnThresholdOnThePageAndTheApiShowsIt() throws Exception {
        mvc.perform(get("/instances/paged").with(OPERATOR)).andExpect(status().isOk())
                .andExpect(content().string(containsString("href=\"/alerts?instance=paged#rules\"")));
        mvc.perform(get("/alerts").param("instance", "paged").with(OPERATOR)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Rules for paged"),
                        containsString("name=\"instanceId\" value=\"paged\""), not(containsString("own setting")))));

        mvc.perform(post("/alerts/rules/memory-high").with(OPERATOR).with(csrf()).param("instanceId", "paged")
                .param("enabled", "true").param("threshold", "70").param("forSeconds", "60"))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/alerts?instance=paged"))
                .andExpect(flash().attribute("message", "Rule memory-high saved for paged."));
        mvc.perform(get("/api/alerts/rules").with(VIEWER)).andExpect(status().isOk())
                .andExpect(jsonPath("$[0].rule").value("memory-high"))
                .andExpect(jsonPath("$[0].global.threshold").value(90.0))
                .andExpect(jsonPath("$[0].overrides", hasSize(1)))
                .andExpect(jsonPath("$[0].overrides[0].instanceId").value("paged"))
                .andExpect(jsonPath("$[0].overrides[0].threshold").value(70.0))
                .andExpect(jsonPath("$[0].overrides[0].forSeconds").value(60));
        // the instance's own setting decides: 75 % fires after its 60 s, the global 90 % would not
        Instant t0 = Instant.now().plusSeconds(60);
        engine.evaluate(sample(id, t0, 75 * MB, 100 * MB, 0));
        engine.evaluate(sample(id, t0.plusSeconds(60), 75 * MB, 100 * MB, 0));
        org.assertj.core.api.Assertions.assertThat(engine.active("paged"))
                .anyMatch(a -> a.rule().equals("memory-high") && a.state() == AlertState.FIRING);

        mvc.perform(get("/alerts").param("instance", "paged").with(OPERATOR)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("own setting"), containsString("Back to global"))));
        mvc.perform(get("/alerts").with(OPERATOR)).andExpect(status().isOk())
                .andExpect(content().string(containsString("href=\"/alerts?instance=paged#rules\"")));

        mvc.perform(post("/alerts/rules/memory-high/inherit").with(OPERATOR).with(csrf()).param("instanceId", "paged"))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/alerts?instance=paged"));
        mvc.perform(get("/api/alerts/rules").with(VIEWER)).andExpect(jsonPath("$[0].overrides", hasSize(0)));

        // bad input comes back as a message, an unknown instance as a 404, a missing token as a refusal
        mvc.perform(post("/alerts/rules/memory-high").with(OPERATOR).with(csrf()).param("instanceId", "paged")
                .param("enabled", "true").param("threshold", "-5"))
                .andExpect(status().isFound()).andExpect(flash().attribute("error", containsString("positive")));
        mvc.perform(post("/alerts/rules/memory-high").with(OPERATOR).with(csrf()).param("instanceId", "ghost")
                .param("threshold", "50")).andExpect(status().isFound()).andExpect(redirectedUrl("/alerts"))
                .andExpect(flash().attributeExists("error"));
        mvc.perform(get("/alerts").param("instance", "ghost").with(OPERATOR)).andExpect(status().isNotFound());
        mvc.perform(post("/alerts/rules/memory-high").with(OPERATOR).param("instanceId", "paged")
                .param("threshold", "50")).andExpect(status().isForbidden());
        mvc.perform(get("/api/alerts/rules").with(VIEWER)).andExpect(jsonPath("$[0].overrides", hasSize(0)));
    }

    @Test
    void anOperatorSilencesAFiringAlertFromItsRowAViewerNeitherSeesNorMayPostIt() throws Exception {
        Instant t0 = Instant.now().plusSeconds(60);
        engine.evaluate(sample(id, t0, 10 * MB, 100 * MB, 0));
        engine.evaluate(sample(id, t0.plusSeconds(10), 10 * MB, 100 * MB, 4));
        long alertId = engine.active("paged").stream().filter(a -> a.rule().equals("oom-errors")).findFirst()
                .orElseThrow().id();

        mvc.perform(get("/alerts").with(VIEWER)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("data-alert=\"" + alertId + "\""),
                        not(containsString("silence-form")), not(containsString("Silence instance")))));
        mvc.perform(post("/alerts/silences").with(VIEWER).with(csrf()).param("alertId", String.valueOf(alertId))
                .param("minutes", "60").param("reason", "not mine")).andExpect(status().isForbidden());
        mvc.perform(post("/alerts/rules/memory-high").with(VIEWER).with(csrf()).param("instanceId", "paged")
                .param("threshold", "50")).andExpect(status().isForbidden());

        mvc.perform(get("/alerts").header("HX-Request", "true").with(OPERATOR)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("silence-form"),
                        containsString("name=\"alertId\" value=\"" + alertId + "\""),
                        containsString("name=\"instanceId\" value=\"paged\""))));
        mvc.perform(post("/alerts/silences").with(OPERATOR).with(csrf()).param("alertId", String.valueOf(alertId))
                .param("minutes", "60").param("reason", "known <b>OOM</b>"))
                .andExpect(status().isFound()).andExpect(flash().attribute("message", "Silenced."));
        mvc.perform(get("/api/alerts").param("state", "FIRING").param("instance", "paged").with(VIEWER))
                .andExpect(jsonPath("$[0].id").value(alertId)).andExpect(jsonPath("$[0].silenced").value(true));
        mvc.perform(get("/api/alerts/silences").with(VIEWER)).andExpect(jsonPath("$[0].alertId").value(alertId))
                .andExpect(jsonPath("$[0].createdBy").value("otto"));
        mvc.perform(get("/alerts").with(OPERATOR)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("known &lt;b&gt;OOM&lt;/b&gt;"),
                        not(containsString("silence-form")))));
    }
}
