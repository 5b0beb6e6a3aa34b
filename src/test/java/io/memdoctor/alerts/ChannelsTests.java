package io.memdoctor.alerts;

import java.time.Duration;
import java.util.List;

import io.memdoctor.alerts.channels.AlertsProperties;
import io.memdoctor.support.DashboardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Channels: refused when wrong, with a clear message; the URL (a token) is sealed and never shown back. */
@DashboardTest
class ChannelsTests {

    static final String TOKEN = "xoxb-S3CRET-token";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcTemplate jdbc;

    /** Not a @Configuration: the runner takes it as is, and the test's own context does not pick it up. */
    @EnableConfigurationProperties(AlertsProperties.class)
    static class OnlyAlertProperties {
    }

    @Test
    void badChannelPropertiesStopTheStartWithAClearMessage() {
        new ApplicationContextRunner().withUserConfiguration(OnlyAlertProperties.class)
                .withPropertyValues("memdoctor.alerts.channels[0].type=pager",
                        "memdoctor.alerts.channels[0].url=https://example.com/" + TOKEN)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("memdoctor.alerts.channels[0]")
                            .hasMessageContaining("webhook, slack or alertmanager")
                            .message().doesNotContain(TOKEN);
                });
        new ApplicationContextRunner().withUserConfiguration(OnlyAlertProperties.class)
                .withPropertyValues("memdoctor.alerts.channels[0].type=slack",
                        "memdoctor.alerts.channels[0].url=ftp://example.com/" + TOKEN)
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("absolute http:// or https:// URL").message().doesNotContain(TOKEN));
        assertThatIllegalArgumentException().isThrownBy(() -> new AlertsProperties(List.of(
                new AlertsProperties.ChannelProperties("a", "slack", "https://hooks.slack.com/x"),
                new AlertsProperties.ChannelProperties("a", "webhook", "https://example.com/y")),
                Duration.ofHours(4), java.net.URI.create("http://127.0.0.1:8080"), Duration.ofSeconds(5), 6))
                .withMessageContaining("two channels named 'a'");
        assertThat(new AlertsProperties.ChannelProperties("a", "slack", TOKEN).toString()).doesNotContain(TOKEN);
    }

    @Test
    void aChannelAddedThroughTheApiIsSealedAndNeverShownBack() throws Exception {
        String url = "https://hooks.slack.com/services/T000/B000/" + TOKEN;
        mvc.perform(post("/api/alerts/channels").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"team\",\"type\":\"slack\",\"url\":\"" + url + "\"}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.url").value("https://hooks.slack.com/…"))
                .andExpect(content().string(not(containsString(TOKEN))));
        mvc.perform(get("/api/alerts/channels")).andExpect(status().isOk())
                .andExpect(content().string(containsString("\"team\"")))
                .andExpect(content().string(not(containsString(TOKEN))));
        mvc.perform(get("/alerts")).andExpect(status().isOk())
                .andExpect(content().string(containsString("https://hooks.slack.com/…")))
                .andExpect(content().string(not(containsString(TOKEN))));
        String stored = jdbc.queryForObject("SELECT url_sealed FROM alert_channel WHERE name = 'team'", String.class);
        assertThat(stored).startsWith("v1:").doesNotContain(TOKEN).doesNotContain("hooks.slack.com");

        mvc.perform(post("/api/alerts/channels").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"team\",\"type\":\"slack\",\"url\":\"" + url + "\"}"))
                .andExpect(status().isConflict());
        mvc.perform(post("/api/alerts/channels").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\",\"type\":\"pager\",\"url\":\"" + url + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail").value(containsString("webhook, slack or alertmanager")));
        mvc.perform(post("/api/alerts/channels").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\",\"type\":\"webhook\",\"url\":\"javascript:alert(1)//" + TOKEN + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("http://")))
                .andExpect(content().string(not(containsString(TOKEN))));
        // the page's form: a readable message, not an error page
        mvc.perform(post("/alerts/channels").with(csrf()).param("name", "y").param("type", "webhook").param("url", "not a url"))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("error", containsString("'url' is not a valid URL")));
        mvc.perform(delete("/api/alerts/channels/team")).andExpect(status().isNoContent());
        mvc.perform(delete("/api/alerts/channels/team")).andExpect(status().isNotFound());
    }

    @Test
    void theAlertsPageRendersWithHostileText() throws Exception {
        mvc.perform(post("/api/alerts/silences").contentType(MediaType.APPLICATION_JSON)
                .content("{\"alertId\":424242,\"minutes\":5,\"reason\":\"<script>alert(1)</script>\"}"))
                .andExpect(status().isCreated());
        mvc.perform(get("/alerts")).andExpect(status().isOk())
                .andExpect(content().string(containsString("&lt;script&gt;alert(1)&lt;/script&gt;")))
                .andExpect(content().string(not(containsString("<script>alert(1)"))))
                .andExpect(content().string(containsString("forecast-full")));
        mvc.perform(get("/alerts").header("HX-Request", "true")).andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"firing\"")));
    }
}
