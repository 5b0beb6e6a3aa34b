package io.memdoctor.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.DiagnosisService;
import io.memdoctor.diagnosis.Severity;
import io.memdoctor.diagnosis.Verdict;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every scenario, each with noise beside it, on every server build at hand, at 1-second sampling with the
 * production diagnosis settings: the primary verdict against the expected one (a confusion table), the time to the
 * right verdict, and for the healthy variants the highest severity seen while watched. Half the variants are
 * held out: the thresholds were not tuned on them, and they are reported apart. Not a test: run with
 * {@code ./mvnw -B -ntp -o test -Pbenchmark -Dtest=ScenarioBenchmark} ({@code -Dbench.servers=all} for every build
 * in ../shared/redis-builds, {@code -Dbench.healthyWatch=PT10M}); it prints markdown and writes it under
 * {@code target/scenario-benchmark/}.
 *
 * <p>Incident variants run one after another, each until its expected verdict or two minutes; the healthy
 * variants run at the same time, side by side, for the whole watch.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@DirtiesContext // a benchmark with production sampling settings: closed, not cached
class ScenarioBenchmark {

    static final Duration LIMIT = Duration.ofMinutes(2);
    static final Path BUILDS = Path.of("../shared/redis-builds");

    /**
     * @param heldOut not looked at while thresholds were chosen
     */
    record Variant(Scenario scenario, Noise noise, boolean heldOut) {

        String id() {
            return scenario.id() + (noise == Noise.NONE ? "" : " + " + noise.id());
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant(Scenario.UNBOUNDED_LIST, Noise.NONE, false),
            new Variant(Scenario.TTL_LOSS, Noise.NONE, false),
            new Variant(Scenario.FRAGMENTATION, Noise.NONE, false),
            new Variant(Scenario.COPY_ON_WRITE, Noise.NONE, false),
            new Variant(Scenario.MAXMEMORY_NOEVICTION, Noise.NONE, false),
            new Variant(Scenario.CLIENT_BUFFERS, Noise.NONE, false),
            new Variant(Scenario.REPLICA_PAUSED, Noise.NONE, false),
            new Variant(Scenario.SCRIPT_CACHE, Noise.NONE, false),
            new Variant(Scenario.HEALTHY, Noise.NONE, false),
            new Variant(Scenario.HEALTHY, Noise.TTL_CHURN, false),
            new Variant(Scenario.HEALTHY, Noise.BGSAVE, false),
            // held out
            new Variant(Scenario.UNBOUNDED_LIST, Noise.BGSAVE, true),
            new Variant(Scenario.TTL_LOSS, Noise.GAPS, true),
            new Variant(Scenario.FRAGMENTATION, Noise.TTL_CHURN, true),
            new Variant(Scenario.COPY_ON_WRITE, Noise.TTL_CHURN, true),
            new Variant(Scenario.MAXMEMORY_NOEVICTION, Noise.QUEUE, true),
            new Variant(Scenario.CLIENT_BUFFERS, Noise.BGSAVE, true),
            new Variant(Scenario.REPLICA_PAUSED, Noise.QUEUE, true),
            new Variant(Scenario.SCRIPT_CACHE, Noise.TTL_CHURN, true),
            new Variant(Scenario.HEALTHY, Noise.QUEUE, true),
            new Variant(Scenario.HEALTHY, Noise.GAPS, true),
            new Variant(Scenario.HEALTHY, Noise.RESTART, true),
            // held out, added 2026-11-30 after rules were changed on the results above: no rule changed after these
            new Variant(Scenario.COPY_ON_WRITE, Noise.GAPS, true),
            new Variant(Scenario.FRAGMENTATION, Noise.QUEUE, true),
            new Variant(Scenario.CLIENT_BUFFERS, Noise.TTL_CHURN, true),
            new Variant(Scenario.SCRIPT_CACHE, Noise.GAPS, true));

    /** What one variant gave. */
    record Outcome(String server, Variant variant, Verdict got, Duration reached, Severity worst, String sequence) {
    }

    @DynamicPropertySource
    static void productionSampling(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.sampling.enabled", () -> "true");
        registry.add("memdoctor.sampling.interval", () -> "1s");
        registry.add("memdoctor.retention.scheduled", () -> "true");
        registry.add("memdoctor.instances[0].name", () -> "nowhere");
        registry.add("memdoctor.instances[0].url", () -> "redis://127.0.0.1:1");
    }

    @Autowired
    InstanceService instances;

    @Autowired
    DiagnosisService diagnoses;

    @Test
    void confusionTableOnEveryServer() throws Exception {
        Duration healthyWatch = Duration.parse(System.getProperty("bench.healthyWatch", "PT10M"));
        // -Dbench.only=script-cache: the variants of these scenarios only (a rerun after a rule change)
        List<String> only = List.of(System.getProperty("bench.only", "").split(","));
        List<Variant> variants = VARIANTS.stream().filter(v -> only.equals(List.of("")) || only.contains(v.scenario().id()))
                .toList();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        StringBuilder report = new StringBuilder();
        for (Path binary : servers()) {
            String server = label(binary);
            Instant began = Instant.now();
            ExecutorService healthy = Executors.newCachedThreadPool();
            List<Future<?>> watching = new ArrayList<>();
            for (Variant variant : variants) {
                if (variant.scenario() == Scenario.HEALTHY) {
                    watching.add(healthy.submit(() -> outcomes.add(run(server, binary, variant, healthyWatch))));
                }
            }
            for (Variant variant : variants) {
                if (variant.scenario() != Scenario.HEALTHY) {
                    Outcome outcome = run(server, binary, variant, LIMIT);
                    outcomes.add(outcome);
                    System.out.println(row(outcome));
                }
            }
            for (Future<?> future : watching) {
                future.get();
            }
            healthy.shutdown();
            System.out.printf("%s done in %s%n", server, Duration.between(began, Instant.now()));
        }
        report.append(tables(outcomes, false)).append(tables(outcomes, true)).append(details(outcomes));
        System.out.println(report);
        Path out = Path.of("target/scenario-benchmark");
        Files.createDirectories(out);
        Files.writeString(out.resolve("report-" + Instant.now().toEpochMilli() + ".md"), report.toString());
    }

    private Outcome run(String server, Path binary, Variant variant, Duration watch) {
        List<String> args = variant.scenario().serverArgs();
        try (LocalRedisServer redis = binary == null ? LocalRedisServer.start(args) : LocalRedisServer.start(binary, args);
                ScenarioRun run = ScenarioRun.prepare(variant.scenario(), redis, variant.noise())) {
            Instance instance = instances.add("bench " + server + " " + variant.id().replace(" + ", " "), redis.url());
            String id = instance.id().value();
            Instant started = Instant.now();
            run.start();
            Verdict expected = variant.scenario().expected();
            boolean healthy = variant.scenario() == Scenario.HEALTHY;
            List<String> sequence = new ArrayList<>();
            Duration reached = null;
            Diagnosis diagnosis = null;
            Severity worst = Severity.INFO;
            while (Duration.between(started, Instant.now()).compareTo(watch) < 0) {
                diagnosis = diagnoses.diagnose(id, null, null);
                Duration at = Duration.between(started, Instant.now());
                String step = diagnosis.verdict() + "/" + diagnosis.severity();
                if (sequence.isEmpty() || !sequence.get(sequence.size() - 1).startsWith(step + " ")) {
                    sequence.add(step + " " + at.toSeconds() + "s");
                }
                if (diagnosis.verdict() != Verdict.INSUFFICIENT_DATA && diagnosis.severity().compareTo(worst) > 0) {
                    worst = diagnosis.severity();
                }
                if (diagnosis.verdict() == expected && reached == null) {
                    reached = at;
                    if (!healthy) {
                        break;
                    }
                }
                sleep(healthy ? Duration.ofSeconds(2) : Duration.ofSeconds(1));
            }
            instances.remove(id);
            Verdict got = reached != null && !healthy ? expected : diagnosis == null ? Verdict.INSUFFICIENT_DATA
                    : diagnosis.verdict();
            return new Outcome(server, variant, got, reached, worst, String.join(" → ", sequence));
        }
        catch (RuntimeException ex) {
            return new Outcome(server, variant, Verdict.INSUFFICIENT_DATA, null, Severity.INFO,
                    "failed: " + ex.getMessage());
        }
    }

    private static List<Path> servers() throws IOException {
        String wanted = System.getProperty("bench.servers", "default");
        List<Path> out = new ArrayList<>();
        out.add(null);
        if (wanted.equals("all") && Files.isDirectory(BUILDS)) {
            try (Stream<Path> files = Files.list(BUILDS)) {
                files.filter(p -> p.getFileName().toString().contains("-server-") && Files.isExecutable(p)).sorted()
                        .forEach(out::add);
            }
        }
        else if (!wanted.equals("default")) {
            out.clear();
            for (String name : wanted.split(",")) {
                out.add(name.equals("default") ? null : BUILDS.resolve(name));
            }
        }
        return out;
    }

    private static String label(Path binary) {
        return binary == null ? "redis-7.0.15 (Debian)" : binary.getFileName().toString().replace("-server-", "-");
    }

    private static String row(Outcome o) {
        return String.format("| %s | %s | %s | %s | %s | %s | %s |", o.server(),
                o.variant().id() + (o.variant().heldOut() ? " (held out)" : ""),
                o.variant().scenario().expected(), o.got(), o.reached() == null ? "not reached"
                        : String.format("%.0f s", o.reached().toMillis() / 1000.0), o.worst(), o.sequence());
    }

    /** Confusion table (expected × got) of one half, then its times. */
    private static String tables(List<Outcome> outcomes, boolean heldOut) {
        List<Outcome> half = outcomes.stream().filter(o -> o.variant().heldOut() == heldOut).toList();
        Map<Verdict, Map<Verdict, Integer>> counts = new TreeMap<>();
        for (Outcome o : half) {
            counts.computeIfAbsent(o.variant().scenario().expected(), k -> new TreeMap<>()).merge(o.got(), 1, Integer::sum);
        }
        List<Verdict> columns = half.stream().map(Outcome::got).distinct().sorted().toList();
        StringBuilder md = new StringBuilder("\n### " + (heldOut ? "Held-out variants" : "Variants the thresholds were"
                + " chosen on") + ": expected (rows) × primary verdict got (columns)\n\n| expected \\ got |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
        counts.forEach((expected, row) -> {
            md.append("| ").append(expected).append(" |");
            columns.forEach(c -> md.append(' ').append(row.getOrDefault(c, 0)).append(" |"));
            md.append('\n');
        });
        long right = half.stream().filter(o -> o.got() == o.variant().scenario().expected()).count();
        long quietHealthy = half.stream().filter(o -> o.variant().scenario() == Scenario.HEALTHY)
                .filter(o -> o.worst() == Severity.INFO).count();
        long healthy = half.stream().filter(o -> o.variant().scenario() == Scenario.HEALTHY).count();
        md.append("\n").append(right).append(" of ").append(half.size()).append(" variant runs got the expected primary"
                + " verdict; ").append(quietHealthy).append(" of ").append(healthy)
                .append(" healthy runs stayed at INFO (no WARNING or CRITICAL) for the whole watch.\n");
        return md.toString();
    }

    private static String details(List<Outcome> outcomes) {
        Map<String, List<Outcome>> byServer = new LinkedHashMap<>();
        outcomes.forEach(o -> byServer.computeIfAbsent(o.server(), k -> new ArrayList<>()).add(o));
        StringBuilder md = new StringBuilder("\n### Every run\n\n| server | variant | expected | got | time to the"
                + " right verdict | worst severity | verdicts seen (verdict/severity, seconds since start) |\n"
                + "|---|---|---|---|---|---|---|\n");
        byServer.values().forEach(list -> list.forEach(o -> md.append(row(o)).append('\n')));
        return md.toString();
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
