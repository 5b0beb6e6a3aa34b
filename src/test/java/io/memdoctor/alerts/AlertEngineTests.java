package io.memdoctor.alerts;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.MemoryLimits;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Rules evaluated on samples: pending, firing, resolved; settings, silences and acknowledgements through the API. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@RecordApplicationEvents
@org.springframework.test.annotation.DirtiesContext(classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class AlertEngineTests {

    static final long MB = 1024L * 1024;
    /**
     * At least 30 s after the sample every added instance gets at once (it fails: nothing listens on these ports), so
     * the engine takes the test's samples as the newer ones. Per test (each gets its own instance), not per class:
     * the suite may load the class long before it runs.
     */
    final Instant T0 = Instant.now().plusSeconds(90).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    MemoryLimits limits;

    @Autowired
    AlertEngine engine;

    @Autowired
    ApplicationEvents events;

    @Autowired
    SnapshotRepository snapshots;

    /** Adds an instance and waits for its first (failed) sample, so it cannot land between the test's own. */
    InstanceId add(String name, int port) throws InterruptedException {
        InstanceId id = instances.add(name, "redis://127.0.0.1:" + port).id();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (snapshots.latest(id).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return id;
    }

    static Snapshot sample(InstanceId id, Instant at, long used, long maxmemory, long oom) {
        Map<Metric, Object> v = new EnumMap<>(Metric.class);
        v.put(Metric.USED_MEMORY, used);
        v.put(Metric.MAXMEMORY, maxmemory);
        v.put(Metric.USED_MEMORY_RSS, used + 5 * MB);
        v.put(Metric.TOTAL_SYSTEM_MEMORY, 64_000 * MB);
        v.put(Metric.EVICTED_KEYS, 0L);
        v.put(Metric.KEYS, 1000L);
        v.put(Metric.EXPIRES, 900L);
        if (oom > 0) {
            v.put(Metric.ERRORSTAT_OOM, oom);
        }
        return Snapshot.ok(id, at, v);
    }

    List<AlertTransition> transitions(String rule) {
        return events.stream(AlertTransition.class).filter(t -> t.alert().rule().equals(rule)).toList();
    }

    @Test
    void aDeclaredMemoryLimitIsWhatMemoryHighAndRssHighMeasureAgainst() throws Exception {
        InstanceId id = add("pod", 7);
        limits.declare("pod", 100 * MB);
        // maxmemory 0 on a 64 GB host, in a 100 MB container: 95 MB used, RSS 100 MB
        Map<AlertRule, Alert> active = engine.evaluate(sample(id, T0, 95 * MB, 0, 0));
        assertThat(active).containsKeys(AlertRule.MEMORY_HIGH, AlertRule.RSS_HIGH);
        assertThat(active.get(AlertRule.MEMORY_HIGH).summary())
                .isEqualTo("Used memory 95.0 MB is 95.0 % of memory limit (declared) 100.0 MB");
        assertThat(active.get(AlertRule.MEMORY_HIGH).values()).containsKey("memoryLimit");
        assertThat(active.get(AlertRule.RSS_HIGH).summary())
                .isEqualTo("RSS 100.0 MB is 100.0 % of the memory limit (declared) 100.0 MB");

        // cleared: the host's 64 GB again, and no maxmemory, so neither holds
        limits.declare("pod", null);
        active = engine.evaluate(sample(id, T0.plusSeconds(10), 95 * MB, 0, 0));
        assertThat(active).doesNotContainKeys(AlertRule.MEMORY_HIGH, AlertRule.RSS_HIGH);
    }

    @Test
    void memoryHighIsPendingThenFiringThenResolvedWithTheValuesThatFiredIt() throws Exception {
        InstanceId id = add("full", 7);
        engine.evaluate(sample(id, T0, 95 * MB, 100 * MB, 0));
        // a failed sample older than that one (the add's own, evaluated late) moves nothing back: no instance-down
        engine.evaluate(Snapshot.failed(id, T0.minusSeconds(30), SnapshotStatus.UNREACHABLE, "late"));
        mvc.perform(get("/api/alerts?state=PENDING&instance=full")).andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].rule").value("memory-high"))
                .andExpect(jsonPath("$[0].severity").value("WARNING"))
                .andExpect(jsonPath("$[0].startsAt").value(T0.toString()));
        engine.evaluate(sample(id, T0.plusSeconds(200), 96 * MB, 100 * MB, 0));
        assertThat(transitions("memory-high")).isEmpty();
        engine.evaluate(sample(id, T0.plusSeconds(300), 97 * MB, 100 * MB, 0));
        assertThat(transitions("memory-high")).singleElement()
                .satisfies(t -> assertThat(t.alert().state()).isEqualTo(AlertState.FIRING));
        engine.evaluate(sample(id, T0.plusSeconds(310), 98 * MB, 100 * MB, 0));
        assertThat(transitions("memory-high")).hasSize(1);
        engine.evaluate(sample(id, T0.plusSeconds(400), 50 * MB, 100 * MB, 0));
        assertThat(transitions("memory-high")).hasSize(2).last()
                .satisfies(t -> assertThat(t.alert().state()).isEqualTo(AlertState.RESOLVED));
        mvc.perform(get("/api/alerts?instance=full")).andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].state").value("RESOLVED"))
                .andExpect(jsonPath("$[0].instanceId").value("full"))
                .andExpect(jsonPath("$[0].startsAt").value(T0.toString()))
                .andExpect(jsonPath("$[0].endsAt").value(T0.plusSeconds(400).toString()))
                .andExpect(jsonPath("$[0].values.usedMemory").value(97 * MB))
                .andExpect(jsonPath("$[0].summary").value(containsString("97.0 % of maxmemory")));
    }

    @Test
    void oomErrorsAndDownFireOnceAndResolve() throws Exception {
        InstanceId id = add("refusing", 8);
        engine.evaluate(sample(id, T0, 10 * MB, 100 * MB, 0));
        engine.evaluate(sample(id, T0.plusSeconds(10), 10 * MB, 100 * MB, 3));
        engine.evaluate(sample(id, T0.plusSeconds(20), 10 * MB, 100 * MB, 9));
        assertThat(transitions("oom-errors")).singleElement().satisfies(t -> {
            assertThat(t.alert().state()).isEqualTo(AlertState.FIRING);
            assertThat(t.alert().values()).containsEntry("errorstatOom", 3L);
        });
        // quiet for the counter's quiet period: resolved
        engine.evaluate(sample(id, T0.plusSeconds(20 + 301), 10 * MB, 100 * MB, 9));
        assertThat(transitions("oom-errors")).hasSize(2);

        Instant down = T0.plusSeconds(400);
        for (int i = 0; i <= 13; i++) {
            engine.evaluate(Snapshot.failed(id, down.plusSeconds(10L * i), SnapshotStatus.UNREACHABLE,
                    "Connection refused"));
        }
        assertThat(transitions("instance-down")).singleElement()
                .satisfies(t -> assertThat(t.alert().summary()).contains("2 min").contains("Connection refused"));
        engine.evaluate(sample(id, down.plusSeconds(200), 10 * MB, 100 * MB, 9));
        assertThat(transitions("instance-down")).hasSize(2);
    }

    @Test
    void rulesAreEditableGloballyAndPerInstanceAndBadSettingsAreRefused() throws Exception {
        InstanceId id = add("tuned", 9);
        mvc.perform(get("/api/alerts/rules")).andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(AlertRule.values().length)))
                .andExpect(jsonPath("$[0].rule").value("memory-high"))
                .andExpect(jsonPath("$[0].defaults.threshold").value(90.0))
                .andExpect(jsonPath("$[0].defaults.forSeconds").value(300));
        mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON).content("""
                [{"rule":"memory-high","threshold":80,"forSeconds":0},
                 {"rule":"memory-high","instanceId":"tuned","enabled":false}]"""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].global.threshold").value(80.0))
                .andExpect(jsonPath("$[0].overrides[0].instanceId").value("tuned"))
                .andExpect(jsonPath("$[0].overrides[0].enabled").value(false))
                .andExpect(jsonPath("$[0].overrides[0].threshold").value(80.0));
        engine.evaluate(sample(id, T0, 95 * MB, 100 * MB, 0));
        assertThat(engine.active("tuned")).noneMatch(a -> a.rule().equals("memory-high"));
        mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON)
                .content("[{\"rule\":\"memory-high\",\"instanceId\":\"tuned\",\"inherit\":true}]"))
                .andExpect(status().isOk()).andExpect(jsonPath("$[0].overrides", hasSize(0)));
        engine.evaluate(sample(id, T0.plusSeconds(10), 95 * MB, 100 * MB, 0));
        assertThat(engine.active("tuned")).anyMatch(a -> a.rule().equals("memory-high")
                && a.state() == AlertState.FIRING);

        mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON)
                .content("[{\"rule\":\"nope\"}]")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail").value(containsString("memory-high")));
        mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON)
                .content("[{\"rule\":\"memory-high\",\"threshold\":-3}]")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("positive")));
        mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON)
                .content("[{\"rule\":\"memory-high\",\"instanceId\":\"ghost\",\"threshold\":50}]"))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/alerts?state=burning")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("FIRING")));
        mvc.perform(put("/api/alerts/rules").contentType(MediaType.APPLICATION_JSON)
                .content("[{\"rule\":\"memory-high\",\"threshold\":90,\"forSeconds\":300}]"))
                .andExpect(status().isOk());
    }

    @Test
    void silencesNeedAReasonAndMarkAlertsAcknowledgementsAreKept() throws Exception {
        InstanceId id = add("noisy", 10);
        engine.evaluate(sample(id, T0, 10 * MB, 100 * MB, 0));
        engine.evaluate(sample(id, T0.plusSeconds(10), 10 * MB, 100 * MB, 4));
        long alertId = engine.active("noisy").stream().filter(a -> a.rule().equals("oom-errors")).findFirst()
                .orElseThrow().id();
        mvc.perform(post("/api/alerts/silences").contentType(MediaType.APPLICATION_JSON)
                .content("{\"instanceId\":\"noisy\",\"minutes\":60}")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("reason")));
        mvc.perform(post("/api/alerts/silences").contentType(MediaType.APPLICATION_JSON)
                .content("{\"instanceId\":\"noisy\",\"minutes\":0,\"reason\":\"x\"}")).andExpect(status().isBadRequest());
        String created = mvc.perform(post("/api/alerts/silences").contentType(MediaType.APPLICATION_JSON)
                .content("{\"instanceId\":\"noisy\",\"minutes\":60,\"reason\":\"migration <b>tonight</b>\"}"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.createdBy").value("local"))
                .andReturn().getResponse().getContentAsString();
        mvc.perform(get("/api/alerts?state=FIRING&instance=noisy")).andExpect(jsonPath("$[0].silenced").value(true));
        mvc.perform(post("/api/alerts/" + alertId + "/acknowledge")).andExpect(status().isOk())
                .andExpect(jsonPath("$.acknowledgedBy").value("local"));
        mvc.perform(post("/api/alerts/999999/acknowledge")).andExpect(status().isNotFound());
        long silenceId = Long.parseLong(created.replaceAll(".*\"id\":(\\d+).*", "$1"));
        mvc.perform(delete("/api/alerts/silences/" + silenceId)).andExpect(status().isNoContent());
        mvc.perform(get("/api/alerts?state=FIRING&instance=noisy")).andExpect(jsonPath("$[0].silenced").value(false))
                .andExpect(jsonPath("$[0].acknowledgedBy").value("local"));
    }
}
