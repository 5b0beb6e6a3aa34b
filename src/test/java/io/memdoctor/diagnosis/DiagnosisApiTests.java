package io.memdoctor.diagnosis;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The diagnosis API and panel on a stored history (no Redis needed): ranges, defaults and bad input. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class DiagnosisApiTests {

    static final long MB = 1024L * 1024;

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository repository;

    @Test
    void aStoredClimbIsDataGrowthWithNumbersAndTimes() throws Exception {
        InstanceId id = instances.add("growing", "redis://127.0.0.1:7").id();
        Instant start = Instant.parse("2026-02-01T10:00:00Z");
        for (int i = 0; i < 30; i++) {
            Map<Metric, Object> v = new EnumMap<>(Metric.class);
            v.put(Metric.USED_MEMORY, 100 * MB + i * 2 * MB);
            v.put(Metric.USED_MEMORY_RSS, 110 * MB + i * 2 * MB);
            v.put(Metric.KEYS, 1000L);
            v.put(Metric.EXPIRES, 0L);
            v.put(Metric.MAXMEMORY, 0L);
            repository.save(Snapshot.ok(id, start.plusSeconds(10L * i), v));
        }
        mvc.perform(get("/api/instances/growing/diagnosis?from=2026-02-01T10:00:00Z&to=2026-02-01T11:00:00Z"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").value("DATA_GROWTH"))
                .andExpect(jsonPath("$.summary").value(containsString("climbed by 58.0 MB")))
                .andExpect(jsonPath("$.evidence[0]").value(containsString("2026-02-01 10:00:00 UTC")))
                .andExpect(jsonPath("$.nextSteps[0]").value(containsString("redis-cli -h 127.0.0.1 -p 7 INFO memory")))
                .andExpect(jsonPath("$.samples").value(30))
                // neither maxmemory nor the host's memory known: no way to tell how far the ceiling is
                .andExpect(jsonPath("$.severity").value("WARNING"))
                .andExpect(jsonPath("$.findings[0].verdict").value("DATA_GROWTH"))
                .andExpect(jsonPath("$.findings[0].severity").value("WARNING"))
                .andExpect(jsonPath("$.findings[0].summary").value(containsString("climbed by 58.0 MB")))
                .andExpect(jsonPath("$.findings[0].evidence").isArray())
                .andExpect(jsonPath("$.findings[0].nextSteps").isArray());
        // the default range is the last hour, where this history has nothing
        mvc.perform(get("/api/instances/growing/diagnosis")).andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").value("INSUFFICIENT_DATA"));
        String panel = mvc.perform(get("/instances/growing/diagnosis?range=24h").header("HX-Request", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(panel).contains("id=\"diagnosis\"").contains("data-verdict=\"INSUFFICIENT_DATA\"")
                .contains("hx-get=\"/instances/growing/diagnosis?range=24h\"").contains("last 24h");
    }

    @Test
    void badInputIsAProblemDetail() throws Exception {
        instances.add("quiet", "redis://127.0.0.1:8");
        mvc.perform(get("/api/instances/nope/diagnosis")).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        mvc.perform(get("/api/instances/quiet/diagnosis?from=yesterday")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        mvc.perform(get("/api/instances/quiet/diagnosis?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value(containsString("before")));
        mvc.perform(get("/api/instances/quiet/diagnosis?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value(containsString("400 days")));
        mvc.perform(get("/instances/quiet/diagnosis?range=2y")).andExpect(status().isBadRequest());
    }
}
