package io.memdoctor.forecast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.GrowthTrend;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.support.RedisServer;
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
 * Forecast accuracy on a real Redis driven to its maxmemory: a steady write rate with noise (random batch sizes), a
 * saw-tooth (temporary keys written then deleted every 30 s) and spikes (a 3 MB value that lives 2 s). At 25, 50
 * and 75 % of the way from the start to maxmemory, the forecast's time to full is compared with the time Redis
 * really refused its first write (OOM). Beside it, for comparison, a least-squares line through the raw samples of
 * the same hour (what the diagnosis' growth trend does). Run with
 * {@code ./mvnw -B -ntp -o test -Pbenchmark -Dtest=ForecastBenchmark}; writes {@code docs/benchmarks/forecast.md}.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "memdoctor.forecast.refresh=0s")
@ActiveProfiles("test")
@DirtiesContext // a benchmark with its own sampling and forecast settings: closed, not cached
class ForecastBenchmark {

    static final long MB = 1024L * 1024;
    static final double[] MARKS = {0.25, 0.50, 0.75};

    static final RedisServer redis = RedisServer.start("--maxmemory", "64mb", "--maxmemory-policy", "noeviction");

    @DynamicPropertySource
    static void sampling(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.sampling.enabled", () -> "true");
        registry.add("memdoctor.sampling.interval", () -> "1s");
        registry.add("memdoctor.retention.scheduled", () -> "true");
        registry.add("memdoctor.instances[0].name", () -> "bench");
        registry.add("memdoctor.instances[0].url", redis::url);
    }

    @Autowired
    InstanceService instances;

    @Autowired
    ForecastService forecasts;

    @Autowired
    SnapshotRepository snapshots;

    record Mark(double fraction, Instant at, long used, Forecast forecast, Long leastSquaresSeconds) {
    }

    @Test
    void forecastsMadeOnTheWayAreWithin20PercentOfTheTruth() throws Exception {
        Instance instance = instances.findAll().get(0);
        RedisClient client = RedisClient.create(redis.url());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Instant> firstOom = new AtomicReference<>();
        long maxmemory = 64 * MB;
        long start;
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redisCommands = connection.sync();
            start = usedMemory(redisCommands);
            Thread writer = new Thread(() -> write(redisCommands, running, firstOom), "bench-writer");
            Instant began = Instant.now();
            writer.start();
            List<Mark> marks = new ArrayList<>();
            int next = 0;
            while (firstOom.get() == null && Duration.between(began, Instant.now()).toMinutes() < 15) {
                Thread.sleep(200);
                Snapshot latest = snapshots.latestOk(instance.id()).orElse(null);
                if (next < MARKS.length && latest != null
                        && latest.getLong(Metric.USED_MEMORY) >= start + MARKS[next] * (maxmemory - start)) {
                    Instant now = Instant.now();
                    Forecast forecast = forecasts.forecast(instance.id());
                    Long leastSquares = GrowthTrend.fit(snapshots.findRaw(instance.id(), now.minusSeconds(3600), now),
                            Metric.USED_MEMORY).flatMap(trend -> trend.reaches(maxmemory))
                            .map(at -> Duration.between(now, at).toSeconds()).orElse(null);
                    marks.add(new Mark(MARKS[next], now, latest.getLong(Metric.USED_MEMORY), forecast, leastSquares));
                    next++;
                }
            }
            running.set(false);
            writer.join();
            assertThat(firstOom.get()).as("Redis refused a write within 15 minutes").isNotNull();
            report(marks, firstOom.get(), began, start, maxmemory);
            for (Mark mark : marks) {
                double truth = Duration.between(mark.at(), firstOom.get()).toMillis() / 1000.0;
                assertThat(mark.forecast().secondsToFull()).as("forecast at %.0f %%", mark.fraction() * 100)
                        .isNotNull();
                assertThat(Math.abs(mark.forecast().secondsToFull() - truth) / truth).isLessThan(0.20);
            }
            assertThat(marks).hasSize(MARKS.length);
        }
        finally {
            client.shutdown();
            redis.close();
        }
    }

    private static long usedMemory(RedisCommands<String, String> redis) {
        for (String line : redis.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new IllegalStateException("no used_memory in INFO");
    }

    /**
     * About 270 KB a second (63 MB in about 4 minutes): every 250 ms, 0 to 130 values of 1 KB; every 30 s, 2 MB
     * of temporary keys written over 20 s are deleted; every 45 s, a 3 MB value for 2 s.
     */
    private static void write(RedisCommands<String, String> redis, AtomicBoolean running,
            AtomicReference<Instant> firstOom) {
        Random random = new Random(11);
        String value = "x".repeat(1000);
        String spike = "s".repeat((int) (3 * MB));
        long key = 0;
        long tick = 0;
        try {
            while (running.get()) {
                int count = random.nextInt(131);
                for (int i = 0; i < count; i++) {
                    redis.set("data:" + key++, value);
                }
                long second = tick / 4;
                if (second % 30 < 20) {
                    redis.set("tmp:" + tick, "t".repeat(26_000));
                }
                if (tick % 120 == 119) {
                    List<String> temps = redis.keys("tmp:*");
                    if (!temps.isEmpty()) {
                        redis.del(temps.toArray(String[]::new));
                    }
                }
                if (tick % 180 == 60) {
                    redis.set("spike", spike);
                }
                if (tick % 180 == 68) {
                    redis.del("spike");
                }
                tick++;
                Thread.sleep(250);
            }
        }
        catch (io.lettuce.core.RedisCommandExecutionException ex) {
            if (ex.getMessage() != null && ex.getMessage().startsWith("OOM")) {
                firstOom.set(Instant.now());
            }
            else {
                throw ex;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void report(List<Mark> marks, Instant oom, Instant began, long start, long maxmemory)
            throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("| made at | used | true time to full | forecast (Theil-Sen, ").append("window)")
                .append(" | error | least squares (1 h raw) | error |\n|---|---|---|---|---|---|---|\n");
        for (Mark mark : marks) {
            double truth = Duration.between(mark.at(), oom).toMillis() / 1000.0;
            Forecast f = mark.forecast();
            table.append(String.format(Locale.ROOT, "| %.0f %% | %.1f MB | %.0f s | %s s (%s, %s) | %s | %s s | %s |%n",
                    mark.fraction() * 100, mark.used() / (double) MB, truth, f.secondsToFull(), f.window(),
                    f.confidence(), error(f.secondsToFull(), truth), mark.leastSquaresSeconds(),
                    error(mark.leastSquaresSeconds(), truth)));
        }
        String text = "# Forecast accuracy\n\n"
                + "A private Redis (maxmemory 64 MB, noeviction) written at a steady rate with noise: random batches"
                + " of 1 KB values every 250 ms (about 270 KB/s on average), a 2 MB saw-tooth (temporary keys written"
                + " for 20 s, deleted every 30 s) and a 3 MB spike for 2 s every 45 s. The dashboard samples every"
                + " second. At 25, 50 and 75 % of the way from the start (" + String.format(Locale.ROOT, "%.1f MB",
                        start / (double) MB)
                + ") to maxmemory, the forecast's seconds to full are compared with the moment Redis refused its"
                + " first write with OOM, " + Duration.between(began, oom).toSeconds() + " s after the writes began."
                + " Least squares is a plain regression line through the same hour of raw samples, for comparison.\n\n"
                + table + "\nRun: `./mvnw -B -ntp -o test -Pbenchmark -Dtest=ForecastBenchmark` on "
                + Instant.now().toString().substring(0, 10) + " (2 shared cores).\n";
        System.out.println(text);
        Path out = Path.of("docs/benchmarks/forecast.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }

    private static String error(Long predicted, double truth) {
        return predicted == null ? "no date" : String.format(Locale.ROOT, "%+.1f %%", (predicted - truth) / truth * 100);
    }
}
