package io.memdoctor.instances;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import io.memdoctor.support.Watched;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard under the least-privilege ACL user the README gives: sampling, scans and checks give the same
 * answers as with the default user, and Redis logs no refusal. A stricter user (no CONFIG GET, no MEMORY USAGE)
 * still works: what it may not read shows as UNKNOWN or as element counts, never as an error.
 */
@DashboardTest
class LeastPrivilegeTests {

    /** The README's line, word for word (after the user name and password). */
    static final String ACL = "on >monitor-pw ~* resetchannels -@all +info +dbsize +scan +type +pttl"
            + " +strlen +llen +scard +hlen +zcard +xlen +memory|usage +memory|stats +memory|doctor +slowlog|get"
            + " +config|get";
    static final String STRICT = ACL.replace(" +memory|usage", "").replace(" +config|get", "");

    @RegisterExtension
    static final Watched watched = new Watched();
    static final RedisServer redis = watched.start();

    /** One server, watched three times: as the README's user, as a stricter one, and as the default user. */
    @BeforeAll
    static void watch() {
        ScanDataset.load(redis);
        assertThat(redis.cli(args("ACL", "SETUSER", "memdoctor", ACL.split(" ")))).isEqualTo("OK\n");
        assertThat(redis.cli(args("ACL", "SETUSER", "strict", STRICT.split(" ")))).isEqualTo("OK\n");
        watched.add("least", "redis://memdoctor:monitor-pw@127.0.0.1:" + redis.port());
        watched.add("strict", "redis://strict:monitor-pw@127.0.0.1:" + redis.port());
        watched.add("full", redis.url());
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Test
    void theLeastPrivilegeUserSamplesScansAndChecksLikeTheDefaultUser() throws Exception {
        assertThat(sampler.sample(instances.get("least")).status()).isEqualTo(SnapshotStatus.OK);
        assertThat(sampler.sample(instances.get("full")).status()).isEqualTo(SnapshotStatus.OK);

        String scan = runScan("least");
        assertThat((String) JsonPath.read(scan, "$.status")).isEqualTo("DONE");
        assertThat((Boolean) JsonPath.read(scan, "$.memoryUsageAvailable")).isTrue();
        assertThat(((Number) JsonPath.read(scan, "$.bytes")).longValue()).isPositive();
        assertThat(((Number) JsonPath.read(scan, "$.keys")).longValue())
                .isEqualTo(Long.parseLong(redis.cli("DBSIZE").trim()));
        runScan("full");

        Map<String, String> least = severities("least");
        assertThat(least).isEqualTo(severities("full"));
        // memory-trend needs half a minute of history, whatever the user may do
        assertThat(least).containsEntry("memory-trend", "UNKNOWN");
        least.remove("memory-trend");
        assertThat(least).doesNotContainValue("UNKNOWN");
        assertThat(redis.cli("ACL", "LOG")).as("refusals Redis logged").doesNotContain("memdoctor");
        // what an incident capture will read
        assertThat(asUser("memdoctor", "MEMORY", "STATS")).contains("peak.allocated");
        assertThat(asUser("memdoctor", "MEMORY", "DOCTOR")).doesNotContain("NOPERM");
        assertThat(asUser("memdoctor", "SLOWLOG", "GET", "1")).doesNotContain("NOPERM");
    }

    @Test
    void theUserCanReadFiguresButChangeNothing() {
        for (String[] command : List.of(new String[] {"SET", "k", "v"}, new String[] {"GET", "user:1000:name"},
                new String[] {"DEL", "user:1000:name"}, new String[] {"FLUSHALL"}, new String[] {"KEYS", "*"},
                new String[] {"CONFIG", "SET", "maxmemory", "1"}, new String[] {"BGSAVE"},
                new String[] {"CLIENT", "KILL", "TYPE", "normal"}, new String[] {"SHUTDOWN"},
                new String[] {"PUBLISH", "c", "m"}, new String[] {"MONITOR"})) {
            assertThat(asUser("memdoctor", command)).as(String.join(" ", command)).contains("NOPERM");
        }
    }

    @Test
    void whatAStricterUserMayNotReadIsUnknownNotAnError() throws Exception {
        assertThat(sampler.sample(instances.get("strict")).status()).isEqualTo(SnapshotStatus.OK);
        String scan = runScan("strict");
        assertThat((String) JsonPath.read(scan, "$.status")).isEqualTo("DONE");
        assertThat((Boolean) JsonPath.read(scan, "$.memoryUsageAvailable")).isFalse();
        assertThat((String) JsonPath.read(scan, "$.note")).contains("MEMORY USAGE was refused");
        assertThat(((Number) JsonPath.read(scan, "$.byType.list.elements")).longValue()).isPositive();

        String checks = mvc.perform(get("/api/instances/strict/checks")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        List<String> defrag = JsonPath.read(checks, "$[?(@.id == 'activedefrag-off')].severity");
        assertThat(defrag).containsExactly("UNKNOWN");
        List<String> why = JsonPath.read(checks, "$[?(@.id == 'activedefrag-off')].evidence");
        assertThat(why.get(0)).contains("refused CONFIG GET");
        List<String> bigKeys = JsonPath.read(checks, "$[?(@.id == 'big-keys')].evidence");
        assertThat(bigKeys.get(0)).contains("blob:huge (string, size unknown, 200,000 items)");
        Map<String, String> strict = severities("strict");
        strict.remove("activedefrag-off");
        strict.remove("memory-trend");
        assertThat(strict).doesNotContainValue("UNKNOWN");
    }

    private String runScan(String instance) throws Exception {
        String started = mvc.perform(post("/api/instances/" + instance + "/scans")
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(started, "$.id");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String scan = mvc.perform(get("/api/scans/" + id)).andReturn().getResponse().getContentAsString();
            if (!"RUNNING".equals(JsonPath.read(scan, "$.status"))) {
                return scan;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("scan " + id + " did not end");
    }

    private Map<String, String> severities(String instance) throws Exception {
        String checks = mvc.perform(get("/api/instances/" + instance + "/checks")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        List<String> ids = JsonPath.read(checks, "$[*].id");
        List<String> severities = JsonPath.read(checks, "$[*].severity");
        Map<String, String> bySeverity = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            bySeverity.put(ids.get(i), severities.get(i));
        }
        return bySeverity;
    }

    private static String asUser(String user, String... command) {
        return redis.cli(args("--user", user, "--pass", "monitor-pw", "--no-auth-warning", command));
    }

    /** Strings and arrays of strings, flattened into one argument list. */
    private static String[] args(Object... parts) {
        List<String> all = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String[] many) {
                all.addAll(List.of(many));
            }
            else {
                all.add((String) part);
            }
        }
        return all.toArray(String[]::new);
    }
}
