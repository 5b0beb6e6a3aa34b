package io.memdoctor.scans.web;

import java.time.Duration;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import io.memdoctor.support.Watched;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The scan API end to end: a real redis-server, the real engine, H2 with the real migrations. */
@DashboardTest
@PrivateRedis(instance = "Scan Target")
class ScanApiTests {

    private static RedisServer server;
    private static long keys;

    /** Removes the instance one test adds through the API, should the test fail before it does. */
    @RegisterExtension
    static final Watched watched = new Watched();

    @Autowired
    private MockMvc mvc;

    @BeforeAll
    static void load() {
        keys = ScanDataset.load(server);
        watched.forgetAfterwards("Scan API short lived");
    }

    @Test
    void aScanRunsToTheEndAndAnswersWithItsResults() throws Exception {
        MvcResult started = mvc.perform(post("/api/instances/scan-target/scans"))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", startsWith("/api/scans/")))
                .andExpect(jsonPath("$.status").value("RUNNING"))
                .andReturn();
        String id = JsonPath.read(started.getResponse().getContentAsString(), "$.id");

        awaitEnd(id);
        mvc.perform(get("/api/scans/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("DONE"))
                .andExpect(jsonPath("$.keysScanned").value(keys))
                .andExpect(jsonPath("$.keysTotal").value(keys))
                .andExpect(jsonPath("$.keysPerSecond").value(greaterThan(0)))
                .andExpect(jsonPath("$.progress").value(1.0))
                .andExpect(jsonPath("$.parameters.count").value(1000))
                .andExpect(jsonPath("$.parameters.samples").value(5))
                .andExpect(jsonPath("$.keys").value(keys))
                .andExpect(jsonPath("$.topKeys.length()").value(100))
                .andExpect(jsonPath("$.topKeys[0].key").value("zset:big"))
                .andExpect(jsonPath("$.topKeys[0].type").value("zset"))
                .andExpect(jsonPath("$.topKeys[0].elements").value(ScanDataset.BIG_ZSET))
                .andExpect(jsonPath("$.topKeys[0].ttlSeconds").value(-1))
                .andExpect(jsonPath("$.biggestByType.list.mostElements.key").value("queue:events"))
                .andExpect(jsonPath("$.biggestByType.string.mostBytes.key").value("blob:huge"))
                .andExpect(jsonPath("$.byType.hash.keys").value(ScanDataset.USERS + 2))
                .andExpect(jsonPath("$.patterns[*].pattern", hasItem("user:*:feed")))
                .andExpect(jsonPath("$.ttl.length()").value(5))
                .andExpect(jsonPath("$.ttl[0].bucket").value("none"));
    }

    @Test
    void oneScanPerInstanceAndACancelKeepsWhatWasFound() throws Exception {
        String id = start("{\"maxKeysPerSecond\": 1000}");
        awaitProgress(id);
        mvc.perform(get("/api/scans/" + id))
                .andExpect(jsonPath("$.status").value("RUNNING"))
                .andExpect(jsonPath("$.keysTotal").value(keys))
                .andExpect(jsonPath("$.topKeys").doesNotExist());

        mvc.perform(post("/api/instances/scan-target/scans"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.runningScanId").value(id))
                .andExpect(jsonPath("$.detail", containsString("already running")));

        mvc.perform(delete("/api/scans/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.keysScanned").value(greaterThan(0)))
                .andExpect(jsonPath("$.keys").value(greaterThan(0)))
                .andExpect(jsonPath("$.topKeys.length()").value(greaterThan(0)));
        mvc.perform(delete("/api/scans/" + id))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("already ended (CANCELLED)")));
        mvc.perform(get("/api/scans/" + id)).andExpect(jsonPath("$.status").value("CANCELLED"));
    }

    @Test
    void badParametersAreRefusedWithAClearMessage() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"count\": 0}", "count must be between 1 and 10000",
                "{\"type\": \"blob\"}", "type must be one of string, list, set, zset, hash, stream",
                "{\"samples\": -1}", "samples must be between 0",
                "{\"topN\": 100000}", "topN must be between 1 and 10000",
                "{\"maxKeysPerSecond\": 0}", "maxKeysPerSecond must be at least 1",
                "{\"delimiters\": []}", "delimiters must list at least one separator",
                "{\"match\": \"\"}", "match must not be empty",
                "{\"count\": \"many\"}", "not valid JSON of the expected shape",
                "{\"count\": ", "not valid JSON of the expected shape");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            mvc.perform(post("/api/instances/scan-target/scans").contentType(MediaType.APPLICATION_JSON)
                    .content(bad.getKey()))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(400))
                    .andExpect(jsonPath("$.detail", containsString(bad.getValue())));
        }
    }

    @Test
    void unknownInstancesAndScansAre404() throws Exception {
        mvc.perform(post("/api/instances/nope/scans")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown instance"));
        mvc.perform(get("/api/instances/nope/scans")).andExpect(status().isNotFound());
        mvc.perform(get("/api/scans/00000000-0000-0000-0000-000000000000")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown scan"));
        mvc.perform(get("/api/scans/<script>")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(containsString("<script>"))));
        mvc.perform(delete("/api/scans/not-a-scan")).andExpect(status().isNotFound());
        mvc.perform(get("/api/scans/not-a-scan/compare/other")).andExpect(status().isNotFound());
    }

    @Test
    void historyListsScansAndACompareShowsWhatGrew() throws Exception {
        String before = start("{\"topN\": 20}");
        awaitEnd(before);
        try (RedisPipe pipe = RedisPipe.to(server)) {
            String[] push = new String[2 + 20_000];
            push[0] = "RPUSH";
            push[1] = "queue:events";
            for (int i = 2; i < push.length; i++) {
                push[i] = "late-" + i;
            }
            pipe.command(push);
        }
        String after = start("{\"topN\": 20}");
        awaitEnd(after);
        server.cli("LTRIM", "queue:events", "0", Integer.toString(ScanDataset.BIG_LIST - 1));

        mvc.perform(get("/api/instances/scan-target/scans"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").value(after))
                .andExpect(jsonPath("$[0].status").value("DONE"))
                .andExpect(jsonPath("$[0].keys").value(keys))
                .andExpect(jsonPath("$[0].bytes").value(greaterThan(0)))
                .andExpect(jsonPath("$[*].id", hasItem(before)))
                .andExpect(jsonPath("$[0].topKeys").doesNotExist());

        MvcResult compared = mvc.perform(get("/api/scans/" + before + "/compare/" + after))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.base.id").value(before))
                .andExpect(jsonPath("$.other.id").value(after))
                .andExpect(jsonPath("$.patterns[0].pattern").value("queue:events"))
                .andExpect(jsonPath("$.patterns[0].trend").value("grew"))
                .andExpect(jsonPath("$.patterns[0].keys.change").value(0))
                .andExpect(jsonPath("$.topKeys[0].key").value("queue:events"))
                .andExpect(jsonPath("$.topKeys[0].elements.before").value(ScanDataset.BIG_LIST))
                .andExpect(jsonPath("$.topKeys[0].elements.after").value(ScanDataset.BIG_LIST + 20_000))
                .andExpect(jsonPath("$.topKeys[0].elements.percent").value(40.0))
                .andExpect(jsonPath("$.types[0].type").value("list"))
                .andReturn();
        Number growth = JsonPath.read(compared.getResponse().getContentAsString(), "$.topKeys[0].bytes.change");
        assertThat(growth.longValue()).isPositive();
    }

    @Test
    void comparingAScanWithoutResultsIsAConflict() throws Exception {
        String done = start("{}");
        awaitEnd(done);
        String running = start("{\"maxKeysPerSecond\": 100}");
        try {
            mvc.perform(get("/api/scans/" + done + "/compare/" + running))
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.detail", containsString("no results")));
        }
        finally {
            mvc.perform(delete("/api/scans/" + running)).andExpect(status().isOk());
        }
    }

    @Test
    void removingAnInstanceStopsItsScanAndDeletesItsScans() throws Exception {
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"Scan API short lived\", \"url\": \"" + server.url() + "\"}"))
                .andExpect(status().isCreated());
        MvcResult started = mvc.perform(post("/api/instances/scan-api-short-lived/scans")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"maxKeysPerSecond\": 500}"))
                .andExpect(status().isAccepted()).andReturn();
        String id = JsonPath.read(started.getResponse().getContentAsString(), "$.id");
        awaitProgress(id);

        mvc.perform(delete("/api/instances/scan-api-short-lived")).andExpect(status().isNoContent());

        mvc.perform(get("/api/scans/" + id)).andExpect(status().isNotFound());
        mvc.perform(get("/api/instances/scan-api-short-lived/scans")).andExpect(status().isNotFound());
        // the stopped scan does not come back when it notices the stop
        Thread.sleep(300);
        mvc.perform(get("/api/scans/" + id)).andExpect(status().isNotFound());
    }

    private String start(String body) throws Exception {
        MvcResult started = mvc.perform(post("/api/instances/scan-target/scans")
                .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted())
                .andReturn();
        return JsonPath.read(started.getResponse().getContentAsString(), "$.id");
    }

    private void awaitProgress(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String body = mvc.perform(get("/api/scans/" + id)).andReturn().getResponse().getContentAsString();
            if (((Number) JsonPath.read(body, "$.keysScanned")).longValue() > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("scan " + id + " made no progress");
    }

    private void awaitEnd(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String body = mvc.perform(get("/api/scans/" + id)).andReturn().getResponse().getContentAsString();
            if (!"RUNNING".equals(JsonPath.read(body, "$.status"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("scan " + id + " did not end");
    }
}
