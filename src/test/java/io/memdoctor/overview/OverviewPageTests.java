package io.memdoctor.overview;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The overview page and its self-refreshing fragment, on stored samples (no Redis needed to render). */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class OverviewPageTests {

    static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository snapshots;

    @Test
    void fullPageHasLayoutCardsAndForm() throws Exception {
        String page = mvc.perform(get("/")).andExpect(status().isOk()).andExpect(header().string("Vary", "HX-Request"))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("<title>Instances · Redis Memory Doctor</title>").contains("id=\"cards\"")
                .contains("id=\"add-form\"").contains("/webjars/htmx.org/").contains("/webjars/chart.js/")
                .doesNotContain("<script>");
    }

    @Test
    void htmxGetsOnlyTheCardsWithRealNumbersAndColours() throws Exception {
        InstanceId id = instances.add("Fragmented cache", "redis://127.0.0.1:3").id();
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        values.put(Metric.USED_MEMORY, 3L * 1024 * 1024 * 1024);
        values.put(Metric.MAXMEMORY, 4L * 1024 * 1024 * 1024);
        values.put(Metric.USED_MEMORY_RSS, 5L * 1024 * 1024 * 1024);
        values.put(Metric.MEM_FRAGMENTATION_RATIO, 1.67);
        values.put(Metric.KEYS, 1_234_567L);
        values.put(Metric.EXPIRES, 1000L);
        values.put(Metric.MAXMEMORY_POLICY, "allkeys-lru");
        snapshots.save(Snapshot.ok(id, Instant.now().minusSeconds(30), values));
        snapshots.save(Snapshot.failed(id, Instant.now().minusSeconds(20), SnapshotStatus.UNREACHABLE,
                "Connection refused: 127.0.0.1:3"));

        String fragment = mvc.perform(get("/").header("HX-Request", "true")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();

        assertThat(fragment).startsWith("<section").doesNotContain("<html").contains("hx-trigger=\"every 5s");
        assertThat(fragment).contains("Fragmented cache").contains("3.0 GB").contains("4.0 GB").contains("5.0 GB")
                .contains("1.67").contains("frag-high").contains("worth investigating").contains("1,234,567").contains("Unreachable")
                .contains("Down since").contains("Connection refused").contains("127.0.0.1");
        // (the reason is the stored one or, when the add's own first sample to the closed port ended later, that one)
    }

    @Test
    void hostileNamesAreShownAsText() throws Exception {
        instances.add(HOSTILE, "redis://127.0.0.1:4");
        for (String body : new String[] {
                mvc.perform(get("/")).andReturn().getResponse().getContentAsString(),
                mvc.perform(get("/").header("HX-Request", "true")).andReturn().getResponse().getContentAsString(),
                mvc.perform(get("/instances/img-src-x-onerror-alert-1")).andReturn().getResponse().getContentAsString()}) {
            assertThat(body).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain(HOSTILE);
        }
    }

    @Test
    void theAddFormExplainsWhatIsWrongAndKeepsTheName() throws Exception {
        String answer = mvc.perform(post("/instances").with(csrf()).header("HX-Request", "true").param("name", "sessions")
                        .param("url", "http://sessions:6379"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(answer).contains("URL must start with redis:// or rediss://").contains("value=\"sessions\"")
                .contains("role=\"alert\"");
        // without htmx the whole page comes back, with the honest status
        String page = mvc.perform(post("/instances").with(csrf()).param("name", "sessions").param("url", "http://sessions:6379"))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("<title>Instances · Redis Memory Doctor</title>")
                .contains("URL must start with redis:// or rediss://");
        assertThat(instances.find(InstanceId.of("sessions"))).isEmpty();

        String ok = mvc.perform(post("/instances").with(csrf()).header("HX-Request", "true").param("name", "sessions")
                        .param("url", "redis://127.0.0.1:5"))
                .andExpect(status().isOk()).andExpect(header().string("HX-Trigger", "instances-changed"))
                .andReturn().getResponse().getContentAsString();
        assertThat(ok).contains("Added sessions");
        assertThat(instances.find(InstanceId.of("sessions"))).isPresent();
    }

    @Test
    void instancePagesSayClearlyWhatIsWrong() throws Exception {
        String missing = mvc.perform(get("/instances/nobody")).andExpect(status().isNotFound()).andReturn()
                .getResponse().getContentAsString();
        assertThat(missing).contains("Unknown instance").contains("No instance with id &#39;nobody&#39;");
        String badRange = mvc.perform(get("/instances/local").param("range", "99y")).andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();
        assertThat(badRange).contains("range must be one of 1h, 6h, 24h, 7d, 30d");
    }

    @Test
    void instancePageAndItsSummaryFragment() throws Exception {
        String page = mvc.perform(get("/instances/local").param("range", "7d")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"memory-chart\"").contains("id=\"fragmentation-chart\"")
                .contains("id=\"keys-chart\"").contains("data-range=\"7d\"").contains("id=\"summary\"");
        String summary = mvc.perform(get("/instances/local").header("HX-Request", "true")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(summary).startsWith("<section").contains("id=\"summary\"").doesNotContain("memory-chart");
    }
}
