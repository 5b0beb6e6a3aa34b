package io.memdoctor.snapshots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.QueryTimings.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.memdoctor.snapshots.QueryTimings.RUNS;
import static io.memdoctor.snapshots.QueryTimings.WARMUP;
import static io.memdoctor.snapshots.QueryTimings.measure;

/**
 * How long a 7-day history query takes against a 1-hour one, for one instance sampled every second (604,800 raw
 * samples), on the H2 file database the dashboard really uses. Compares the shipped path (per-minute rollups for
 * long ranges) with reading every raw sample through the same downsampler. Not a test: run it with
 * {@code ./mvnw -B test -Pbenchmark -Dbenchmark.heap=2g -Dtest=HistoryBenchmark}; it prints a table and writes
 * {@code docs/benchmarks/history.md}.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class HistoryBenchmark {

    static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);

    @DynamicPropertySource
    static void fileDatabase(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("memdoctor-bench");
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dir.resolve("memdoctor") + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    @Autowired
    SnapshotRepository repository;

    @Autowired
    SnapshotHistory history;

    @Autowired
    SnapshotRetention retention;

    @Autowired
    InstanceService instances;

    @Test
    void sevenDaysAgainstOneHour() throws IOException {
        InstanceId id = instances.add("bench", "redis://127.0.0.1:1").id();
        long loadStart = System.nanoTime();
        List<Snapshot> batch = new ArrayList<>(10_000);
        int rows = 0;
        for (Instant at = NOW.minus(Duration.ofDays(7)); at.isBefore(NOW); at = at.plusSeconds(1)) {
            batch.add(sample(id, at, rows));
            rows++;
            if (batch.size() == 10_000) {
                repository.saveAll(batch);
                batch.clear();
            }
        }
        repository.saveAll(batch);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        long rollStart = System.nanoTime();
        retention.runAt(NOW.plusSeconds(60));
        double rollSeconds = (System.nanoTime() - rollStart) / 1e9;

        Instant weekAgo = NOW.minus(Duration.ofDays(7));
        Instant hourAgo = NOW.minus(Duration.ofHours(1));
        Result hour = measure("1 hour, shipped (raw samples)", () -> history.range(id, hourAgo, NOW, 1000));
        Result week = measure("7 days, shipped (per-minute rollups)", () -> history.range(id, weekAgo, NOW, 1000));
        Result month = measure("30 days, shipped (rollups; 7 days of data)",
                () -> history.range(id, NOW.minus(Duration.ofDays(30)), NOW, 1000));
        Result naive = measure("7 days, every raw sample downsampled", () -> {
            Downsampler downsampler = new Downsampler(id, weekAgo, Duration.ofDays(7).toMillis() / 333);
            repository.streamRaw(id, weekAgo, NOW, downsampler::add);
            return new SnapshotHistory.HistoryResult(downsampler.result(), 0, Duration.ZERO);
        });

        String table = String.join("\n",
                "| query | points returned | p50 ms | max ms |",
                "|---|---|---|---|",
                hour.row(), week.row(), month.row(), naive.row());
        String report = """
                # History query benchmark

                Date: %s. Machine: 2 cores, 24 GiB, Java %s, H2 file database (as shipped).
                Command: `./mvnw -B test -Pbenchmark -Dbenchmark.heap=2g -Dtest=HistoryBenchmark`

                One instance sampled every second for 7 days: %,d raw samples (stored in %.1f s; rolled up into
                per-minute rows in %.1f s). Each query asks for at most 1000 points, as the instance page does;
                %d warm-up runs, then %d measured runs.

                %s

                7 days against 1 hour (shipped paths, p50): %.1fx the time.
                Reading every raw sample instead of the rollups: %.1fx slower than the shipped 7-day query.
                """.formatted(LocalDate.now(), Runtime.version().feature(), rows, loadSeconds, rollSeconds, WARMUP, RUNS,
                table, week.p50() / hour.p50(), naive.p50() / week.p50());
        System.out.println(report);
        Path out = Path.of("docs/benchmarks/history.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static Snapshot sample(InstanceId id, Instant at, int i) {
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        long used = 1_000_000_000L + (i % 3600) * 1000L;
        values.put(Metric.USED_MEMORY, used);
        values.put(Metric.USED_MEMORY_RSS, used + 200_000_000L + (i % 17) * 4096L);
        values.put(Metric.USED_MEMORY_DATASET, used - 50_000_000L);
        values.put(Metric.USED_MEMORY_PEAK, 1_500_000_000L);
        values.put(Metric.MAXMEMORY, 4_000_000_000L);
        values.put(Metric.MEM_FRAGMENTATION_RATIO, 1.2 + (i % 10) / 100.0);
        values.put(Metric.ALLOCATOR_FRAG_RATIO, 1.01);
        values.put(Metric.EVICTED_KEYS, (long) i / 10);
        values.put(Metric.EXPIRED_KEYS, (long) i);
        values.put(Metric.RDB_BGSAVE_IN_PROGRESS, i % 3600 < 5 ? 1L : 0L);
        values.put(Metric.TOTAL_FORKS, (long) i / 3600);
        values.put(Metric.KEYS, 1_000_000L + i);
        values.put(Metric.EXPIRES, 500_000L);
        values.put(Metric.CONNECTED_CLIENTS, 40L);
        values.put(Metric.MAXMEMORY_POLICY, "allkeys-lru");
        values.put(Metric.MEM_ALLOCATOR, "jemalloc-5.3.0");
        values.put(Metric.REDIS_VERSION, "7.0.15");
        return Snapshot.ok(id, at, values);
    }
}
