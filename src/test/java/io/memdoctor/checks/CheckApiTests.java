package io.memdoctor.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Watched;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The checks API and panel against real private redis-servers: one that answers CONFIG GET, one where CONFIG is
 * renamed away (as on managed services). A refusal makes the checks that need CONFIG say UNKNOWN with why, fails
 * nothing, and leaves the shared sampling connection working.
 */
@DashboardTest
class CheckApiTests {

    @RegisterExtension
    static final Watched watched = new Watched();
    static final RedisServer open = watched.start();
    static final RedisServer managed = watched.start("--rename-command", "CONFIG", "");
    /** Only the instance whose CONFIG GET calls are counted: another's checks may run on the rule's thread. */
    static final RedisServer counted = watched.start();

    @BeforeAll
    static void watch() {
        watched.add("open", open.url());
        watched.add("managed", managed.url());
        // added by the tests, which remove them; should one fail first, they go after the class
        watched.forgetAfterwards("cached", "paused", "fresh");
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Test
    void everyCheckAnswersWithEvidence() throws Exception {
        sampler.sample(instances.get("open"));
        mvc.perform(get("/api/instances/open/checks"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(ConfigChecks.IDS.size()))
                .andExpect(jsonPath("$[0].id").value("maxmemory-unset"))
                .andExpect(jsonPath("$[0].severity").value("WARNING"))
                .andExpect(jsonPath("$[0].evidence").value(org.hamcrest.Matchers.containsString("maxmemory 0")))
                .andExpect(jsonPath("$[0].remedy").value(org.hamcrest.Matchers.containsString("CONFIG SET maxmemory")))
                .andExpect(jsonPath("$[?(@.id == 'activedefrag-off')].severity").value("OK"))
                .andExpect(jsonPath("$[?(@.id == 'activedefrag-off')].evidence")
                        .value(org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("activedefrag no"))));
    }

    @Test
    void refusedConfigGetMakesOnlyTheChecksThatNeedItUnknown() throws Exception {
        assertThat(managed.cli("CONFIG", "GET", "activedefrag")).contains("unknown command");
        sampler.sample(instances.get("managed"));
        String body = mvc.perform(get("/api/instances/managed/checks")).andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(ConfigChecks.IDS.size()))
                .andExpect(jsonPath("$[?(@.id == 'activedefrag-off')].severity").value("UNKNOWN"))
                .andExpect(jsonPath("$[?(@.id == 'activedefrag-off')].evidence").value(org.hamcrest.Matchers.hasItem(
                        org.hamcrest.Matchers.containsString("Redis refused CONFIG GET"))))
                // decided from INFO alone
                .andExpect(jsonPath("$[?(@.id == 'maxmemory-unset')].severity").value("WARNING"))
                .andExpect(jsonPath("$[?(@.id == 'activedefrag-unsupported')].severity").value("OK"))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).contains("ACL SETUSER");
        // the refusal did not break the shared connection: the next sample is fine
        assertThat(sampler.sample(instances.get("managed")).status()).isEqualTo(SnapshotStatus.OK);
    }

    @Test
    void configGetIsAskedAtMostOncePerFreshnessPeriod() throws Exception {
        // counted from before the instance exists: the alert engine's critical-check rule reads the checks on a
        // thread of its own after the first sample, maybe while the panels below ask too
        long before = configGetCalls();
        instances.add("cached", counted.url());
        sampler.sample(instances.get("cached"));
        ExecutorService viewers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> asked = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                asked.add(viewers.submit(() -> {
                    mvc.perform(get("/api/instances/cached/checks")).andExpect(status().isOk())
                            .andExpect(jsonPath("$[?(@.id == 'activedefrag-off')].severity").value("OK"));
                    return null;
                }));
            }
            for (Future<?> answer : asked) {
                answer.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            viewers.shutdownNow();
        }
        assertThat(configGetCalls() - before).isEqualTo(RedisSettingsReader.PATTERNS.size());
        instances.remove("cached");
    }

    @Test
    void aRedisThatStoppedAnsweringIsNotAskedAgain() throws Exception {
        RedisServer paused = RedisServer.start();
        try {
            instances.add("paused", paused.url());
            assertThat(sampler.sample(instances.get("paused")).status()).isEqualTo(SnapshotStatus.OK);
            paused.pause();
            assertThat(sampler.sample(instances.get("paused")).status()).isNotEqualTo(SnapshotStatus.OK);
            mvc.perform(get("/api/instances/paused/checks")).andExpect(status().isOk())
                    .andExpect(jsonPath("$[?(@.id == 'activedefrag-off')].severity").value("UNKNOWN"))
                    .andExpect(jsonPath("$[?(@.id == 'activedefrag-off')].evidence").value(org.hamcrest.Matchers
                            .hasItem(org.hamcrest.Matchers.containsString("The last sample failed"))));
        }
        finally {
            paused.resume();
            instances.remove("paused");
            paused.close();
        }
    }

    private static long configGetCalls() {
        String stats = counted.cli("INFO", "commandstats");
        java.util.regex.Matcher calls = java.util.regex.Pattern.compile("cmdstat_config\\|get:calls=(\\d+)").matcher(stats);
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    @Test
    void withoutASampleEverythingIsUnknownAndUnknownInstancesAre404() throws Exception {
        // a first sample starts in the background at once: an address nothing answers keeps it from succeeding
        instances.add("fresh", "redis://127.0.0.1:1");
        mvc.perform(get("/api/instances/fresh/checks")).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].severity").value(org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.is("UNKNOWN"))));
        mvc.perform(get("/api/instances/nope/checks")).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("nope")));
        instances.remove("fresh");
    }

    @Test
    void thePanelListsActionableFindingsFirstWithTheirRemedy() throws Exception {
        sampler.sample(instances.get("open"));
        String html = mvc.perform(get("/instances/open/checks").header("HX-Request", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(html).contains("id=\"checks\"").contains("hx-trigger=\"every 10s\"").contains("sev-warning")
                .contains("data-check=\"maxmemory-unset\"").contains("<code>CONFIG SET maxmemory ")
                .doesNotContain("<script");
        assertThat(html.indexOf("sev-warning")).isLessThan(html.indexOf("sev-ok"));
        String page = mvc.perform(get("/instances/open")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("hx-get=\"/instances/open/checks\"").contains("hx-get=\"/instances/open/diagnosis?range=1h\"")
                .contains("/js/diagnosis.js");
    }
}
