package io.memdoctor.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckService;
import io.memdoctor.checks.CheckSeverity;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.DiagnosisService;
import io.memdoctor.diagnosis.Verdict;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each scenario against its own private redis-server, sampled every 250 ms by the real scheduler: the diagnosis
 * reaches the expected verdict and the checks raise the expected findings. The healthy scenario never gets another
 * verdict and raises no WARNING or CRITICAL. Times to verdict are printed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@DirtiesContext // scheduled sampling every 250 ms and a shorter min-climb: a context only it uses
class ScenarioTests {

    static final Duration INTERVAL = Duration.ofMillis(250);
    static final Duration DEADLINE = Duration.ofSeconds(40);
    static final Map<Scenario, Duration> TIMES = new LinkedHashMap<>();

    @DynamicPropertySource
    static void fastSampling(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.sampling.enabled", () -> "true");
        registry.add("memdoctor.sampling.interval", () -> INTERVAL.toMillis() + "ms");
        registry.add("memdoctor.sampling.timeout", () -> "1s");
        // samples every 250 ms: a climb of 10 s is 40 samples, as a minute is at the usual intervals
        registry.add("memdoctor.diagnosis.min-climb", () -> "10s");
        // no default instance at localhost:6379: only the scenarios' own servers are watched
        registry.add("memdoctor.instances[0].name", () -> "nowhere");
        registry.add("memdoctor.instances[0].url", () -> "redis://127.0.0.1:1");
    }

    @Autowired
    InstanceService instances;

    @Autowired
    DiagnosisService diagnoses;

    @Autowired
    CheckService checks;

    @AfterAll
    static void report() {
        TIMES.forEach((scenario, time) -> System.out.printf("scenario %-22s %-16s after %5.1f s (sampling every %d ms)%n",
                scenario.id(), scenario.expected(), time.toMillis() / 1000.0, INTERVAL.toMillis()));
    }

    @Test
    void unboundedListIsDataGrowthInsideOneKey() {
        observe(Scenario.UNBOUNDED_LIST, (diagnosis, results) -> {
            assertThat(diagnosis.summary()).contains("existing keys grow");
            assertThat(severity(results, "maxmemory-unset")).isEqualTo(CheckSeverity.WARNING);
            assertThat(severity(results, "big-keys")).isEqualTo(CheckSeverity.UNKNOWN);
        });
    }

    @Test
    void keysLosingTheirTtlIsDataGrowthWithTheTtlShareFalling() {
        observe(Scenario.TTL_LOSS, (diagnosis, results) -> {
            assertThat(diagnosis.summary()).contains("keys lost their TTL");
            assertThat(find(results, "keys-without-ttl").severity()).isEqualTo(CheckSeverity.WARNING);
            assertThat(find(results, "keys-without-ttl").evidence()).contains("Keys with a TTL fell from");
        });
    }

    @Test
    void churnAfterACleanupIsFragmentation() {
        observe(Scenario.FRAGMENTATION, (diagnosis, results) -> {
            assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("allocator_frag_ratio"));
            assertThat(severity(results, "fragmentation-high")).isEqualTo(CheckSeverity.WARNING);
            assertThat(find(results, "fragmentation-high").evidence()).contains("allocator fragmentation");
            assertThat(severity(results, "activedefrag-off")).isEqualTo(CheckSeverity.WARNING);
            assertThat(find(results, "activedefrag-off").remedy()).contains("CONFIG SET activedefrag yes");
        });
    }

    @Test
    void bgsaveUnderHeavyWritesIsCopyOnWrite() {
        observe(Scenario.COPY_ON_WRITE, (diagnosis, results) -> {
            assertThat(diagnosis.summary()).contains("BGSAVE").contains("copied");
            assertThat(find(results, "maxmemory-headroom").evidence()).contains("largest copy-on-write seen");
        });
    }

    @Test
    void maxmemoryUnderNoevictionIsMemoryPressureWithOomErrors() {
        observe(Scenario.MAXMEMORY_NOEVICTION, (diagnosis, results) -> {
            assertThat(diagnosis.summary()).contains("refused");
            assertThat(severity(results, "eviction-noeviction")).isEqualTo(CheckSeverity.CRITICAL);
            assertThat(find(results, "eviction-noeviction").evidence()).contains("errorstat_OOM grew by");
        });
    }

    @Test
    void aSubscriberThatStoppedReadingIsClientBuffersWithTheClientNamed() {
        observe(Scenario.CLIENT_BUFFERS, (diagnosis, results) -> {
            assertThat(diagnosis.findings()).extracting(f -> f.verdict()).doesNotContain(Verdict.DATA_GROWTH);
            assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("name=feed-reader") && e.contains("class pubsub"));
            assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("\"pubsub 32mb 8mb 60\""));
            CheckResult buffers = find(results, "client-buffers");
            assertThat(buffers.severity()).isEqualTo(CheckSeverity.WARNING);
            assertThat(buffers.title()).contains("pubsub client");
            assertThat(buffers.remedy()).contains("pubsub 32mb 8mb 60");
        });
    }

    @Test
    void aPausedReplicaIsReplicationNotDataGrowth() {
        observe(Scenario.REPLICA_PAUSED, (diagnosis, results) -> {
            assertThat(diagnosis.summary()).contains("for its replicas");
            assertThat(diagnosis.findings()).extracting(f -> f.verdict()).doesNotContain(Verdict.DATA_GROWTH);
            assertThat(severity(results, "replica-buffers")).isEqualTo(CheckSeverity.WARNING);
        });
    }

    @Test
    void distinctEvalScriptsAreTheScriptCache() {
        observe(Scenario.SCRIPT_CACHE, (diagnosis, results) -> {
            assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("SCRIPT FLUSH"));
            assertThat(severity(results, "cached-scripts")).isEqualTo(CheckSeverity.WARNING);
        });
    }

    @Test
    void aHealthyCacheStaysStableAndRaisesNothing() {
        Scenario scenario = Scenario.HEALTHY;
        try (LocalRedisServer server = LocalRedisServer.start(scenario.serverArgs());
                ScenarioRun run = ScenarioRun.prepare(scenario, server)) {
            Instance instance = instances.add("sim " + scenario.id(), server.url());
            Instant started = Instant.now();
            run.start();
            List<Verdict> seen = new ArrayList<>();
            List<Diagnosis> other = new ArrayList<>();
            Diagnosis diagnosis = null;
            while (Duration.between(started, Instant.now()).compareTo(Duration.ofSeconds(15)) < 0) {
                diagnosis = diagnoses.diagnose(instance.id().value(), null, null);
                seen.add(diagnosis.verdict());
                if (diagnosis.verdict() != Verdict.STABLE && diagnosis.verdict() != Verdict.INSUFFICIENT_DATA) {
                    other.add(diagnosis);
                }
                sleep(INTERVAL);
            }
            assertThat(seen).as("verdicts over 15 s; others: %s", other.stream().limit(1).toList()).containsOnly(Verdict.INSUFFICIENT_DATA, Verdict.STABLE);
            assertThat(diagnosis.verdict()).as(diagnosis.toString()).isEqualTo(Verdict.STABLE);
            TIMES.put(scenario, Duration.ofMillis(seen.indexOf(Verdict.STABLE) * INTERVAL.toMillis()));
            List<CheckResult> results = checks.check(instance.id().value());
            assertThat(results).as(results.toString()).noneMatch(CheckResult::actionable);
            assertThat(run.isRunning()).isTrue();
            instances.remove(instance.id().value());
        }
    }

    private void observe(Scenario scenario, java.util.function.BiConsumer<Diagnosis, List<CheckResult>> then) {
        try (LocalRedisServer server = LocalRedisServer.start(scenario.serverArgs());
                ScenarioRun run = ScenarioRun.prepare(scenario, server)) {
            Instance instance = instances.add("sim " + scenario.id(), server.url());
            String id = instance.id().value();
            Instant started = Instant.now();
            run.start();
            Diagnosis diagnosis = awaitVerdict(id, scenario.expected(), started);
            TIMES.put(scenario, Duration.between(started, Instant.now()));
            assertThat(diagnosis.evidence()).isNotEmpty();
            assertThat(diagnosis.nextSteps()).isNotEmpty().anyMatch(step -> step.contains("redis-cli -h 127.0.0.1 -p " + server.port()));
            // the checks read the newest sample, which may trail the verdict by a sample or two
            while (true) {
                List<CheckResult> results = checks.check(id);
                try {
                    assertThat(results).hasSize(16).allSatisfy(r -> assertThat(r.evidence()).isNotBlank());
                    then.accept(diagnosis, results);
                    break;
                }
                catch (AssertionError notYet) {
                    if (Duration.between(started, Instant.now()).compareTo(DEADLINE) > 0) {
                        throw notYet;
                    }
                    sleep(INTERVAL);
                }
            }
            assertThat(run.isRunning()).as("the workload is still running").isTrue();
            instances.remove(id);
        }
    }

    private Diagnosis awaitVerdict(String id, Verdict expected, Instant started) {
        Diagnosis last = null;
        while (Duration.between(started, Instant.now()).compareTo(DEADLINE) < 0) {
            last = diagnoses.diagnose(id, null, null);
            if (last.verdict() == expected) {
                return last;
            }
            sleep(INTERVAL);
        }
        throw new AssertionError("no " + expected + " within " + DEADLINE + "; last: " + last);
    }

    private static CheckResult find(List<CheckResult> results, String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static CheckSeverity severity(List<CheckResult> results, String id) {
        return find(results, id).severity();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
