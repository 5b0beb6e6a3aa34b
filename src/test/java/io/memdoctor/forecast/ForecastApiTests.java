package io.memdoctor.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.MemoryLimits;
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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The forecast API on stored histories (raw samples and rollups), and the card text on the overview. */
@SpringBootTest(properties = "memdoctor.forecast.refresh=0s")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ForecastApiTests {

    static final long MB = 1024L * 1024;

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    MemoryLimits limits;

    @Autowired
    SnapshotRepository repository;

    @Autowired
    io.memdoctor.snapshots.RollupRepository rollups;

    /**
     * Adds an instance at a closed port, waits for the first sample every addition takes once it commits (here
     * UNREACHABLE) and deletes it: the history injected next is then all the forecast and the card read, whatever the
     * timing (a card of a down instance shows its outage, not its forecast).
     */
    InstanceId added(String name, int port) {
        InstanceId id = instances.add(name, "redis://127.0.0.1:" + port).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> repository.latest(id).isPresent());
        repository.deleteAll(id);
        return id;
    }

    /** 40 minutes of 10 s samples ending now, growing 1 MB a minute from 100 MB. */
    void climb(InstanceId id, long maxmemory) {
        Instant now = Instant.now();
        for (int i = 0; i < 240; i++) {
            Map<Metric, Object> v = new EnumMap<>(Metric.class);
            v.put(Metric.USED_MEMORY, 100 * MB + i * MB / 6 + (i % 7 == 0 ? 30 * MB : 0));
            v.put(Metric.MAXMEMORY, maxmemory);
            v.put(Metric.TOTAL_SYSTEM_MEMORY, 1024 * MB);
            repository.save(Snapshot.ok(id, now.minusSeconds(10L * (240 - i)), v));
        }
    }

    /** JSON numbers come back as Double or BigDecimal depending on their digits. */
    static org.hamcrest.Matcher<Object> perHourNear(double expected) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof Number n && Math.abs(n.doubleValue() - expected) < expected * 0.05;
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("a number within 5 % of " + expected);
            }
        };
    }

    @Test
    void aClimbTowardsMaxmemoryHasADate() throws Exception {
        InstanceId id = added("climbing", 7);
        climb(id, 200 * MB);
        // 140 MB now, 60 MB to go at 1 MB a minute: about an hour
        mvc.perform(get("/api/instances/climbing/forecast")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("GROWING"))
                .andExpect(jsonPath("$.ceiling").value("maxmemory"))
                .andExpect(jsonPath("$.ceilingBytes").value(200 * MB))
                .andExpect(jsonPath("$.secondsToFull").value(allOf(greaterThan(3300), lessThan(3900))))
                .andExpect(jsonPath("$.ratePerHour").value(perHourNear(60.0 * MB)))
                .andExpect(jsonPath("$.window").value("1h"))
                .andExpect(jsonPath("$.confidence").value("high"))
                .andExpect(jsonPath("$.fullAt").isNotEmpty());
        String cards = mvc.perform(get("/").header("HX-Request", "true")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(cards).containsPattern("full in 1 h|full in 5\\d min");
    }

    @Test
    void rolledUpMinutesAndRawSamplesMakeOneSeries() throws Exception {
        InstanceId id = added("rolled", 8);
        climb(id, 0);
        Instant now = Instant.now();
        rollups.rollUp(id, now.minusSeconds(3600), now.minusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
        mvc.perform(get("/api/instances/rolled/forecast")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("GROWING"))
                .andExpect(jsonPath("$.ceiling").value("system"))
                .andExpect(jsonPath("$.ceilingBytes").value(1024 * MB))
                .andExpect(jsonPath("$.ratePerHour").value(perHourNear(60.0 * MB)));
    }

    @Test
    void noSamplesIsNoDataAndAnUnknownInstanceIs404() throws Exception {
        added("fresh", 9);
        mvc.perform(get("/api/instances/fresh/forecast")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("NO_DATA"))
                .andExpect(jsonPath("$.fullAt").doesNotExist());
        mvc.perform(get("/api/instances/nope/forecast")).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    }

    @Test
    void aDeclaredMemoryLimitIsTheCeilingUntilItIsCleared() throws Exception {
        InstanceId id = added("pod-forecast", 10);
        // no maxmemory on a 1 GB host: the host is the ceiling
        climb(id, 0);
        mvc.perform(get("/api/instances/pod-forecast/forecast"))
                .andExpect(jsonPath("$.ceiling").value("system"))
                .andExpect(jsonPath("$.ceilingBytes").value(1024 * MB));

        // in a 200 MB container: 140 MB now, 60 MB to go at 1 MB a minute
        limits.declare("pod-forecast", 200 * MB);
        mvc.perform(get("/api/instances/pod-forecast/forecast")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("GROWING"))
                .andExpect(jsonPath("$.ceiling").value("memory-limit"))
                .andExpect(jsonPath("$.ceilingBytes").value(200 * MB))
                .andExpect(jsonPath("$.secondsToFull").value(allOf(greaterThan(3300), lessThan(3900))));
        String cards = mvc.perform(get("/").header("HX-Request", "true")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(cards).contains("data-instance=\"pod-forecast\" data-attention=\"FULL\"");

        limits.declare("pod-forecast", null);
        mvc.perform(get("/api/instances/pod-forecast/forecast"))
                .andExpect(jsonPath("$.ceiling").value("system"))
                .andExpect(jsonPath("$.ceilingBytes").value(1024 * MB));
    }
}
