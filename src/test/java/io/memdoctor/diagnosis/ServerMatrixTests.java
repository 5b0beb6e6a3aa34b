package io.memdoctor.diagnosis;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckService;
import io.memdoctor.checks.CheckSeverity;
import io.memdoctor.instances.ClientList;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.redis.ClientListReader;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.snapshots.InfoParser;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.BigKeysReport;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Scans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every server our users run, each started once and shared by the tests of the class: Debian's redis-server
 * (7.0) and the builds of {@code ../shared/redis-builds} (Redis 7.2.6, 7.4.1, the 8.0 preview, Valkey 8.0.1),
 * each skipped with a message where absent. On each: a sample stores OK under the server's true name with every
 * field it reports (and null for what it does not), the 15 checks and the diagnosis answer, a scan's totals equal
 * {@code redis-cli --bigkeys} and {@code --memkeys} (with hash fields under a TTL on the servers that have
 * {@code HEXPIRE}), an incident capture collects every fact, CLIENT LIST classes a subscriber as pubsub, and the
 * README's least-privilege ACL line lets the dashboard do all that with nothing in {@code ACL LOG}.
 */
@DashboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerMatrixTests {

    static final Path BUILDS = Path.of("../shared/redis-builds");

    /** The README's least-privilege line for every server (after the user name and password). */
    static final String ACL = "on >matrix-pw ~* resetchannels -@all +info +dbsize +scan +type +pttl +strlen +llen"
            + " +scard +hlen +zcard +xlen +memory|usage +memory|stats +memory|doctor +slowlog|get +config|get";
    /** What the README adds on Redis 7.2+ and Valkey, whose driver handshake sends CLIENT SETINFO. */
    static final String ACL_SETINFO = " +client|setinfo";

    static final int FIELD_TTL_HASHES = 25;

    /** The servers by name, started once on first use. */
    private final Map<String, Server> started = new ConcurrentHashMap<>();

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Autowired
    CheckService checks;

    @Autowired
    ScanService scans;

    @Autowired
    ClientListReader clientLists;

    /** A started server, the instance that watches it, and the one that watches it as the ACL user. */
    record Server(String name, RedisServer redis, Instance instance, Instance leastPrivilege, boolean fieldTtls) {
    }

    static Stream<String> servers() {
        return Stream.of("redis-server", "redis-server-7.2.6", "redis-server-7.4.1", "redis-server-8.0-preview",
                "valkey-server-8.0.1");
    }

    private Server server(String name) {
        Path binary = name.equals("redis-server") ? null : BUILDS.resolve(name);
        Assumptions.assumeTrue(binary == null || Files.isExecutable(binary),
                () -> name + ": " + BUILDS.toAbsolutePath().normalize() + "/" + name + " is absent, skipped");
        return started.computeIfAbsent(name, n -> start(n, binary));
    }

    private Server start(String name, Path binary) {
        RedisServer redis = binary == null ? RedisServer.start() : RedisServer.start(binary);
        boolean fieldTtls = !redis.cli("COMMAND", "INFO", "HEXPIRE").strip().isEmpty();
        load(redis, fieldTtls);
        boolean setinfo = !redis.cli("COMMAND", "INFO", "CLIENT|SETINFO").strip().isEmpty();
        String line = ACL + (setinfo ? ACL_SETINFO : "");
        List<String> setuser = new ArrayList<>(List.of("ACL", "SETUSER", "matrix"));
        setuser.addAll(List.of(line.split(" ")));
        assertThat(redis.cli(setuser.toArray(String[]::new))).as(name + ": " + line).isEqualTo("OK\n");
        Instance instance = instances.add("matrix " + name, redis.url());
        Instance least = instances.add("matrix acl " + name,
                "redis://matrix:matrix-pw@127.0.0.1:" + redis.port());
        return new Server(name, redis, instance, least, fieldTtls);
    }

    /** Every type, a few big keys, and on servers with HEXPIRE hashes of which some fields expire in an hour. */
    private static void load(RedisServer redis, boolean fieldTtls) {
        try (RedisPipe pipe = RedisPipe.to(redis)) {
            for (int i = 0; i < 300; i++) {
                pipe.command("SET", "string:" + i, "v".repeat(10 + i * 7 % 400));
            }
            for (int i = 0; i < 20; i++) {
                int n = 5 + i * 13;
                pipe.fill("RPUSH", "list:" + i, n, 1, e -> new String[] {"item-" + e});
                pipe.fill("SADD", "set:" + i, n, 1, e -> new String[] {"member-" + e});
                pipe.fill("ZADD", "zset:" + i, n, 2, e -> new String[] {Integer.toString(e), "m" + e});
                pipe.fill("HSET", "hash:" + i, n, 2, e -> new String[] {"f" + e, "value-" + e});
            }
            pipe.fill("RPUSH", "list:big", 3000, 1, e -> new String[] {"element-" + e});
            for (int i = 0; i < 3; i++) {
                for (int e = 0; e < 50; e++) {
                    pipe.command("XADD", "stream:" + i, "*", "field", "value-" + e);
                }
            }
            for (int i = 0; i < 50; i++) {
                pipe.command("SET", "session:" + i, "s".repeat(64), "EX", "3600");
            }
            if (fieldTtls) {
                for (int i = 0; i < FIELD_TTL_HASHES; i++) {
                    int n = 20 + i * 10;
                    pipe.fill("HSET", "fttl:" + i, n, 2, e -> new String[] {"f" + e, "value-" + e});
                    pipe.command("HEXPIRE", "fttl:" + i, "3600", "FIELDS", "3", "f0", "f1", "f2");
                }
            }
        }
    }

    @AfterAll
    void stop() {
        started.values().forEach(s -> {
            instances.remove(s.instance().id().value());
            instances.remove(s.leastPrivilege().id().value());
            s.redis().close();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aSampleStoresTheServersTrueNameAndEveryFieldItReports(String name) throws Exception {
        Server s = server(name);
        Snapshot sample = sampler.sample(s.instance());
        assertThat(sample.status()).as(name + ": " + sample.error()).isEqualTo(SnapshotStatus.OK);
        Map<String, String> info = InfoParser.fields(s.redis().cli("INFO", "all"));

        for (Metric metric : Metric.all()) {
            if (List.of("keyspace", "errorstats").contains(metric.section()) || metric.infoName().startsWith("replicas_")) {
                continue;
            }
            // present exactly when the server reports it: absent stays null, never 0
            assertThat(sample.get(metric) != null).as(name + " " + metric.infoName())
                    .isEqualTo(info.containsKey(metric.infoName()));
        }
        Long subexpiry = s.fieldTtls() ? (long) FIELD_TTL_HASHES : null;
        assertThat(sample.getLong(Metric.SUBEXPIRY)).as(name + " subexpiry").isEqualTo(subexpiry);
        assertThat(sample.getLong(Metric.KEYS)).isEqualTo(Long.parseLong(s.redis().cli("DBSIZE").strip()));
        if (s.fieldTtls()) {
            assertThat(info).containsKeys("allocator_muzzy", "mem_overhead_db_hashtable_rehashing", "evicted_scripts",
                    "expired_subkeys");
        }
        assertThat(info).containsKeys("mem_total_replication_buffers", "mem_cluster_links");

        String expected = name.startsWith("valkey") ? "Valkey " + info.get("valkey_version")
                : "Redis " + info.get("redis_version");
        JsonNode latest = json.readTree(mvc.perform(get("/api/instances/" + s.instance().id().value()
                + "/snapshots/latest")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(latest.get("subexpiry").isNull()).as(name).isEqualTo(!s.fieldTtls());
        assertThat(latest.get("allocatorMuzzy").isNull()).as(name).isEqualTo(!info.containsKey("allocator_muzzy"));
        assertThat(latest.get("memTotalReplicationBuffers").asLong())
                .isEqualTo(Long.parseLong(info.get("mem_total_replication_buffers")));
        String page = mvc.perform(get("/instances/" + s.instance().id().value())).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).as(name).contains(expected);
        // filtered to this instance: the shared context may watch many others
        String overview = mvc.perform(get("/").param("q", s.instance().name())).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(overview).as(name).contains(expected);
        if (name.startsWith("valkey")) {
            assertThat(expected).isEqualTo("Valkey 8.0.1");
            assertThat(page).doesNotContain("Redis 7.2.4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void theChecksAndTheDiagnosisAnswer(String name) throws Exception {
        Server s = server(name);
        sampler.sample(s.instance());
        List<CheckResult> results = checks.check(s.instance().id().value());
        assertThat(results).as(name).hasSize(16);
        Map<String, CheckSeverity> unknown = new LinkedHashMap<>();
        results.stream().filter(r -> r.severity() == CheckSeverity.UNKNOWN)
                .forEach(r -> unknown.put(r.id() + ": " + r.evidence(), r.severity()));
        // a trend needs history this test does not have, big keys a scan it may not have run yet
        assertThat(unknown.keySet()).as(name)
                .allMatch(id -> id.startsWith("memory-trend") || id.startsWith("big-keys:") && id.contains("no scan of this instance"));
        mvc.perform(get("/api/instances/" + s.instance().id().value() + "/checks")).andExpect(status().isOk());

        JsonNode diagnosis = json.readTree(mvc.perform(get("/api/instances/" + s.instance().id().value()
                + "/diagnosis")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(diagnosis.get("verdict").asString()).as(name).isNotBlank();
        mvc.perform(get("/instances/" + s.instance().id().value() + "/diagnosis").header("HX-Request", "true"))
                .andExpect(status().isOk());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aScansTotalsMatchRedisCliBigkeysAndMemkeys(String name) {
        Server s = server(name);
        String id = Scans.finished(scans, s.instance().id().value(), Duration.ofSeconds(30));
        ScanResults results = scans.get(id).results();
        BigKeysReport bigkeys = BigKeysReport.parse(s.redis().cli("--bigkeys"));
        BigKeysReport memkeys = BigKeysReport.parse(s.redis().cli("--memkeys"));

        assertThat(results.keys()).as(name).isEqualTo(bigkeys.sampled());
        assertThat(results.byType().keySet()).as(name).isEqualTo(bigkeys.totals().keySet());
        bigkeys.totals().forEach((type, totals) -> {
            assertThat(results.byType().get(type).keys()).as(name + " " + type).isEqualTo(totals.keys());
            assertThat(results.byType().get(type).elements()).as(name + " " + type).isEqualTo(totals.size());
        });
        memkeys.totals().forEach((type, totals) ->
                assertThat(results.byType().get(type).bytes()).as(name + " " + type + " bytes").isEqualTo(totals.size()));
        if (s.fieldTtls()) {
            // a hash with fields under a TTL is a hash like any other: its fields counted, its bytes measured
            ScanResults.PatternEntry fttl = results.patterns().stream().filter(p -> p.pattern().equals("fttl:*"))
                    .findFirst().orElseThrow();
            assertThat(fttl.keys()).isEqualTo(FIELD_TTL_HASHES);
            assertThat(fttl.bytes()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void anIncidentCaptureCollectsEveryFact(String name) throws Exception {
        Server s = server(name);
        sampler.sample(s.instance());
        Map<String, JsonNode> facts = capture(s.instance());
        assertThat(facts).as(name).containsKeys("info", "infoPersistence", "dbsize", "memoryStats", "memoryDoctor",
                "config", "slowlog", "commandstats", "errorstats");
        facts.forEach((fact, value) -> assertThat(value.get("refused").asBoolean())
                .as(name + " " + fact + ": " + value.get("reason")).isFalse());
        assertThat(facts.get("dbsize").get("value").asLong()).isEqualTo(Long.parseLong(s.redis().cli("DBSIZE").strip()));
        assertThat(facts.get("memoryStats").get("value").has("peak.allocated")).as(name).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void clientListClassesASubscriberAsPubsub(String name) throws Exception {
        Server s = server(name);
        try (Socket subscriber = new Socket("127.0.0.1", s.redis().port())) {
            OutputStream out = subscriber.getOutputStream();
            out.write("*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nfeed\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = subscriber.getInputStream();
            in.read(new byte[256]);
            ClientList list = clientLists.read(s.instance());
            assertThat(list.available()).as(name).isTrue();
            assertThat(list.clients()).as(name)
                    .anyMatch(c -> c.kind() == ClientList.ClientClass.PUBSUB && c.cmd().equals("subscribe"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void theLeastPrivilegeLineSamplesChecksScansAndCapturesWithNothingRefused(String name) throws Exception {
        Server s = server(name);
        String id = s.leastPrivilege().id().value();
        s.redis().cli("ACL", "LOG", "RESET");
        Snapshot sample = sampler.sample(s.leastPrivilege());
        assertThat(sample.status()).as(name + ": " + sample.error()).isEqualTo(SnapshotStatus.OK);
        sampler.sample(s.instance());
        ScanResults results = scans.get(Scans.finished(scans, id, Duration.ofSeconds(30))).results();
        assertThat(results.memoryUsageAvailable()).as(name).isTrue();
        assertThat(results.keys()).isEqualTo(Long.parseLong(s.redis().cli("DBSIZE").strip()));
        Scans.finished(scans, s.instance().id().value(), Duration.ofSeconds(30));
        Map<String, CheckSeverity> least = severities(id);
        Map<String, CheckSeverity> full = severities(s.instance().id().value());
        // the trend depends on how many samples each instance has, not on the user
        least.remove("memory-trend");
        full.remove("memory-trend");
        assertThat(least).as(name).isEqualTo(full).doesNotContainValue(CheckSeverity.UNKNOWN);
        Map<String, JsonNode> facts = capture(s.leastPrivilege());
        facts.forEach((fact, value) -> assertThat(value.get("refused").asBoolean())
                .as(name + " " + fact + ": " + value.get("reason")).isFalse());
        assertThat(s.redis().cli("ACL", "LOG")).as(name + ": refusals the server logged").doesNotContain("matrix");
    }

    private Map<String, CheckSeverity> severities(String instanceId) {
        Map<String, CheckSeverity> out = new LinkedHashMap<>();
        checks.check(instanceId).forEach(r -> out.put(r.id(), r.severity()));
        return out;
    }

    private Map<String, JsonNode> capture(Instance instance) throws Exception {
        String created = mvc.perform(post("/api/instances/" + instance.id().value() + "/incidents")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"title\":\"matrix\",\"windowHours\":1}"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String id = json.readTree(created).get("id").asString();
        JsonNode incident = json.readTree(mvc.perform(get("/api/incidents/" + id)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        Map<String, JsonNode> facts = new LinkedHashMap<>();
        incident.get("capture").get("facts").properties().forEach(e -> facts.put(e.getKey(), e.getValue()));
        return facts;
    }
}
