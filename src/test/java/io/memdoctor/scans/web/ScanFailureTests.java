package io.memdoctor.scans.web;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A Redis that dies during a scan: the scan ends FAILED with what it had measured, and the next one works. */
@DashboardTest
@PrivateRedis(instance = "fragile")
class ScanFailureTests {

    private static RedisServer server;

    @BeforeAll
    static void load() {
        ScanDataset.load(server);
    }

    @Autowired
    private MockMvc mvc;

    @Test
    void aRedisDyingMidScanFailsTheScanWithItsPartialResults() throws Exception {
        String id = start("{\"maxKeysPerSecond\": 2000}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (keysScanned(id) < 500 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        server.kill();
        awaitEnd(id);

        mvc.perform(get("/api/scans/" + id))
                .andExpect(jsonPath("$.status").value("FAILED"))
                .andExpect(jsonPath("$.error", containsString("Redis")))
                .andExpect(jsonPath("$.keys").value(greaterThan(499)))
                .andExpect(jsonPath("$.topKeys.length()").value(greaterThan(0)));
        mvc.perform(get("/scans/" + id)).andExpect(status().isOk());

        server.restart();
        server.cli("SET", "back", "again");
        String next = start("{}");
        awaitEnd(next);
        mvc.perform(get("/api/scans/" + next))
                .andExpect(jsonPath("$.status").value("DONE"))
                .andExpect(jsonPath("$.keys").value(1));
    }

    private String start(String body) throws Exception {
        String started = mvc.perform(post("/api/instances/fragile/scans").contentType(MediaType.APPLICATION_JSON)
                .content(body)).andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return JsonPath.read(started, "$.id");
    }

    private long keysScanned(String id) throws Exception {
        String body = mvc.perform(get("/api/scans/" + id)).andReturn().getResponse().getContentAsString();
        return ((Number) JsonPath.read(body, "$.keysScanned")).longValue();
    }

    private String awaitEnd(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String body = mvc.perform(get("/api/scans/" + id)).andReturn().getResponse().getContentAsString();
            if (!"RUNNING".equals(JsonPath.read(body, "$.status"))) {
                return body;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("scan " + id + " did not end");
    }
}
