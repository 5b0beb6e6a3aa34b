package io.memdoctor.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckService;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.DiagnosisService;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time to verdict of every scenario from a fresh start with 1-second sampling (the acceptance setting),
 * one after another, with the retention job on as in production. Not a test: run it with
 * {@code ./mvnw -B test -Pbenchmark -Dtest=ScenarioBenchmark}; it prints a table and writes
 * {@code docs/benchmarks/scenarios.md}.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@DirtiesContext
class ScenarioBenchmark {

    static final Duration LIMIT = Duration.ofMinutes(2);
    static final Duration HEALTHY_WATCH = Duration.ofSeconds(90);

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

    @Autowired
    CheckService checks;

    @Test
    void timeToVerdictAtOneSecondSampling() throws IOException {
        List<String> rows = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            try (LocalRedisServer server = LocalRedisServer.start(scenario.serverArgs());
                    ScenarioRun run = ScenarioRun.prepare(scenario, server)) {
                Instance instance = instances.add("bench " + scenario.id(), server.url());
                String id = instance.id().value();
                Instant started = Instant.now();
                run.start();
                Duration watch = scenario == Scenario.HEALTHY ? HEALTHY_WATCH : LIMIT;
                List<String> sequence = new ArrayList<>();
                Duration reached = null;
                Diagnosis diagnosis = null;
                while (Duration.between(started, Instant.now()).compareTo(watch) < 0) {
                    diagnosis = diagnoses.diagnose(id, null, null);
                    Duration at = Duration.between(started, Instant.now());
                    if (sequence.isEmpty() || !sequence.get(sequence.size() - 1).startsWith(diagnosis.verdict().name())) {
                        sequence.add(diagnosis.verdict() + " " + String.format("%.0f s", at.toMillis() / 1000.0));
                    }
                    if (diagnosis.verdict() == scenario.expected() && reached == null) {
                        reached = at;
                        if (scenario != Scenario.HEALTHY) {
                            break;
                        }
                    }
                    sleep(Duration.ofMillis(500));
                }
                List<String> actionable = checks.check(id).stream().filter(CheckResult::actionable)
                        .map(r -> r.id() + " " + r.severity()).toList();
                rows.add(String.format("| %s | %s | %s | %d | %s | %s |", scenario.id(), scenario.expected(),
                        reached == null ? "not reached" : String.format("%.1f s", reached.toMillis() / 1000.0),
                        diagnosis == null ? 0 : diagnosis.samples(), String.join(" → ", sequence),
                        actionable.isEmpty() ? "none" : String.join(", ", actionable)));
                instances.remove(id);
                if (scenario == Scenario.HEALTHY) {
                    assertThat(sequence).allMatch(s -> s.startsWith("STABLE") || s.startsWith("INSUFFICIENT_DATA"));
                }
                assertThat(reached).as(scenario.id()).isNotNull();
            }
        }
        String table = "| scenario | expected | time to verdict | samples then | verdicts seen (time since start) | WARNING/CRITICAL checks then |\n"
                + "|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        Path out = Path.of("docs/benchmarks/scenarios.md");
        Files.writeString(out, "# Scenarios: time to verdict at 1-second sampling\n\n"
                + "Each scenario from a fresh start: a private redis-server, the scenario's starting data loaded, the"
                + " instance registered (sampling every second, retention job on), then the incident started. The"
                + " diagnosis of the default range (the last hour) is read every 0.5 s until it gives the expected"
                + " verdict (the healthy scenario is watched for " + HEALTHY_WATCH.toSeconds() + " s). Measured by"
                + " `ScenarioBenchmark` (`./mvnw -B test -Pbenchmark -Dtest=ScenarioBenchmark`) on "
                + java.time.LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores shared with other builds; the issue's bar is two minutes.\n\n" + table);
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
