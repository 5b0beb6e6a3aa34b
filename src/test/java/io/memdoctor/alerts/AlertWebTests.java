package io.memdoctor.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.memdoctor.alerts.channels.ChannelStore;
import io.memdoctor.instances.InstanceNotFoundException;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.support.WebSlice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The alerts page and API alone ({@code @WebMvcTest}): the page, the firing fragment under {@code HX-Request}, the
 * forms' post-redirect-get with their messages, problem details for bad input, and the roles. The alert services
 * are mocked; the rules' validation (records of this package) is real.
 */
@WebSlice({AlertPageController.class, AlertApiController.class})
class AlertWebTests {

    static final Alert FIRING = new Alert(7, "memory-high", "cache", AlertState.FIRING, Severity.WARNING,
            Instant.parse("2026-11-30T02:50:00Z"), Instant.parse("2026-11-30T02:55:00Z"), null,
            "Used memory at 93 % of maxmemory", Map.of("usedPercent", 93.0), null, null, false);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AlertService alerts;

    @MockitoBean
    RuleSettings settings;

    @MockitoBean
    Silences silences;

    @MockitoBean
    ChannelStore channels;

    @MockitoBean
    AlertPageData data;

    @MockitoBean
    InstanceService instances;

    @BeforeEach
    void defaults() {
        given(settings.global(any())).willAnswer(call -> call.getArgument(0, AlertRule.class).defaults());
        given(settings.effective(any(), any())).willAnswer(call -> call.getArgument(0, AlertRule.class).defaults());
        given(alerts.firing()).willReturn(List.of(FIRING));
        given(instances.get("nope")).willThrow(new InstanceNotFoundException("nope"));
    }

    @Test
    void aPlainGetIsTheWholePageWithWhatFiresAndTheRules() throws Exception {
        mvc.perform(get("/alerts"))
                .andExpect(status().isOk())
                .andExpect(header().string("Vary", containsString("HX-Request")))
                .andExpect(content().string(allOf(startsWith("<!DOCTYPE html>"), containsString("id=\"firing\""),
                        containsString("data-alert=\"7\""), containsString("Used memory at 93 % of maxmemory"),
                        containsString("<code>memory-high</code>"), containsString("action=\"/alerts/7/acknowledge\""),
                        containsString("action=\"/alerts/rules/forecast-full\""),
                        containsString("action=\"/alerts/channels\""))));
    }

    @Test
    void anHtmxGetIsTheFiringPanelAlone() throws Exception {
        mvc.perform(get("/alerts").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(startsWith("<section id=\"firing\""), not(containsString("<html")),
                        containsString("data-alert=\"7\""), not(containsString("/alerts/rules/")))));
        verify(alerts, never()).find(any(), any());
    }

    @Test
    void aSavedRuleComesBackToThePageWithItsMessage() throws Exception {
        mvc.perform(post("/alerts/rules/memory-high").with(csrf()).param("enabled", "true").param("threshold", "85")
                .param("forSeconds", "120"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/alerts"))
                .andExpect(flash().attribute("message", "Rule memory-high saved."));
        verify(settings).save(List.of(new RuleSetting(AlertRule.MEMORY_HIGH, null, true, 85.0,
                java.time.Duration.ofSeconds(120))));

        mvc.perform(get("/alerts").flashAttr("message", "Rule memory-high saved."))
                .andExpect(content().string(
                        containsString("<p class=\"form-ok\" role=\"status\">Rule memory-high saved.</p>")));
    }

    @Test
    void aBadValueComesBackAsTheFormsMessageAndSavesNothing() throws Exception {
        String error = "'threshold' of rule memory-high must be a positive number in % of maxmemory (default 90.0)";
        mvc.perform(post("/alerts/rules/memory-high").with(csrf()).param("enabled", "true").param("threshold", "-5"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/alerts"))
                .andExpect(flash().attribute("error", error));
        mvc.perform(post("/alerts/rules/no-such-rule").with(csrf()))
                .andExpect(flash().attribute("error", containsString("'rule' must be one of [memory-high")));
        mvc.perform(post("/alerts/rules/memory-high").with(csrf()).param("threshold", "lots"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("The value of &#39;threshold&#39; is not valid.")));
        verify(settings, never()).save(anyList());

        mvc.perform(get("/alerts").flashAttr("error", error))
                .andExpect(content().string(
                        containsString("<p class=\"form-error\" role=\"alert\">&#39;threshold&#39;")));
    }

    @Test
    void theApiRefusesBadRuleChangesWithProblemDetails() throws Exception {
        String[][] cases = {{"[]", "send a list of changes"},
            {"[{\"rule\":\"nope\"}]", "'rule' must be one of [memory-high"},
            {"[{\"rule\":\"memory-high\",\"forSeconds\":100000}]", "must be between 0 and 86400"},
            {"[{\"rule\":\"memory-high\",\"inherit\":true}]", "'inherit' needs an 'instanceId'"},
            {"{\"rule\":", "not valid JSON of the expected shape"}};
        for (String[] bad : cases) {
            mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON).content(bad[0]))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail", containsString(bad[1])));
        }
        mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON)
                .content("[{\"rule\":\"memory-high\",\"instanceId\":\"nope\",\"threshold\":80}]"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown instance"));
        mvc.perform(get("/api/alerts").param("instance", "nope")).andExpect(status().isNotFound());
        mvc.perform(delete("/api/alerts/silences/41")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("No current silence 41"));
        verify(settings, never()).save(anyList());
    }

    @Test
    void theApiListsAlertsAndRules() throws Exception {
        given(alerts.find("FIRING", null)).willReturn(List.of(FIRING));

        mvc.perform(get("/api/alerts").param("state", "FIRING"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").value(7))
                .andExpect(jsonPath("$[0].rule").value("memory-high"))
                .andExpect(jsonPath("$[0].values.usedPercent").value(93.0));
        mvc.perform(get("/api/alerts/rules"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(AlertRule.values().length))
                .andExpect(jsonPath("$[0].rule").value("memory-high"));
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerSeesAlertsButNoButtonAndMayNotPost() throws Exception {
        mvc.perform(get("/alerts"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("data-alert=\"7\""),
                        not(containsString("action=\"/alerts/7/acknowledge\"")),
                        not(containsString("action=\"/alerts/channels\"")))));
        mvc.perform(post("/alerts/7/acknowledge").with(csrf())).andExpect(status().isForbidden());
        mvc.perform(post("/api/alerts/7/acknowledge")).andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON).content("[]"))
                .andExpect(status().isForbidden());
        verify(alerts, never()).acknowledge(anyLong(), anyString());
    }

    @Test
    @WithMockUser(username = "alice", roles = {"VIEWER", "OPERATOR"})
    void anOperatorAcknowledgesUnderTheirOwnName() throws Exception {
        mvc.perform(post("/alerts/7/acknowledge").with(csrf()))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/alerts"))
                .andExpect(flash().attribute("message", "Alert 7 acknowledged: it is no longer repeated."));
        verify(alerts).acknowledge(7, "alice");
    }
}
