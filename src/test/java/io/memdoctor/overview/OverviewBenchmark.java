package io.memdoctor.overview;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import io.memdoctor.forecast.ForecastService;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.SnapshotStored;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.Browser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overview of 1,000 instances with an hour of history each, in the H2 file database as shipped: how long the
 * page and its 5 s refresh take to render (median and p95 over HTTP on loopback), and the screenshot of the fleet
 * grouped by env and filtered to what needs attention ({@code docs/screenshots/overview-1000.png}). Run with
 * {@code ./mvnw -B test -Pbenchmark -Dbenchmark.heap=1g -Dtest=OverviewBenchmark}; writes
 * {@code docs/benchmarks/overview.md}.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class OverviewBenchmark {

    static final int INSTANCES = 1000;
    static final int RUNS = 40;
    static final long MB = 1024 * 1024;
    static final String[] TEAMS = {"a", "b", "c"};
    static final String[] SERVICES = {"search", "orders", "sessions", "catalog", "pricing", "carts", "users", "feeds"};

    @DynamicPropertySource
    static void fileDatabase(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("memdoctor-overview-bench");
        registry.add("spring.datasource.url",
                () -> "jdbc:h2:file:" + dir.resolve("memdoctor") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }

    @LocalServerPort
    int port;

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository snapshots;

    @Autowired
    ForecastService forecasts;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    OverviewService overview;

    @Test
    void thousandInstances() throws Exception {
        long setupStart = System.nanoTime();
        List<Instance> fleet = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            String service = SERVICES[i % SERVICES.length];
            String env = i % 10 < 7 ? "prod" : "staging";
            // closed ports: each add's own first sample fails at once; the history below is newer
            fleet.add(instances.add(service + "-" + env + "-" + String.format("%03d", i),
                    "redis://127.0.0.1:" + (1 + i % 60) + "/" + (i % 16),
                    List.of("env:" + env, "team:" + TEAMS[i % 3], "service:" + service)));
        }
        // each add takes a first sample in the background (it fails: closed port); once they are done, they are
        // dropped so the stored history alone says what each instance looks like
        Thread.sleep(5000);
        fleet.forEach(instance -> snapshots.deleteAll(instance.id()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Snapshot> history = new ArrayList<>();
        List<Snapshot> alerting = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            InstanceId id = fleet.get(i).id();
            Kind kind = Kind.of(i);
            for (int minute = 60; minute >= 0; minute--) {
                Instant at = now.minusSeconds(minute * 60L);
                if (kind == Kind.DOWN && minute < 7) {
                    history.add(Snapshot.failed(id, at, SnapshotStatus.UNREACHABLE,
                            "Connection refused: 127.0.0.1:" + (1 + i % 60)));
                    continue;
                }
                Snapshot s = sample(id, at, kind, i, 60 - minute);
                history.add(s);
                if (kind == Kind.EVICTING && minute < 2) {
                    alerting.add(s);
                }
            }
        }
        snapshots.saveAll(history);
        alerting.forEach(s -> events.publishEvent(new SnapshotStored(s)));
        // the alert engine makes the forecasts as samples arrive; here the setup does it once for every instance
        long forecastStart = System.nanoTime();
        fleet.forEach(instance -> forecasts.forecast(instance.id()));
        double forecastSeconds = (System.nanoTime() - forecastStart) / 1e9;
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        String base = "http://127.0.0.1:" + port;
        Map<String, String[]> requests = new LinkedHashMap<>();
        requests.put("page HTML, whole fleet, page 1", new String[] {"/", "false"});
        requests.put("cards fragment (the 5 s refresh), whole fleet", new String[] {"/", "true"});
        requests.put("cards fragment, grouped by env, needs attention", new String[] {"/?group=env&show=attention", "true"});
        requests.put("page HTML, grouped by env, needs attention", new String[] {"/?group=env&show=attention", "false"});
        requests.put("cards fragment, tag env:prod + text 'search', page 2",
                new String[] {"/?tag=env:prod&q=search&page=2&size=20", "true"});
        requests.put("JSON /api/overview, whole fleet", new String[] {"/api/overview", "false"});
        HttpClient client = HttpClient.newHttpClient();
        List<String> names = new ArrayList<>(requests.keySet());
        double[][] times = new double[names.size() + 1][RUNS];
        int[] bytes = new int[names.size()];
        // round-robin, so the machine's load swings hit every request alike; 10 warm-up rounds first
        for (int run = -10; run < RUNS; run++) {
            for (int r = 0; r < names.size(); r++) {
                String[] request = requests.get(names.get(r));
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request[0]));
                if ("true".equals(request[1])) {
                    builder.header("HX-Request", "true");
                }
                long start = System.nanoTime();
                HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                double ms = (System.nanoTime() - start) / 1e6;
                assertThat(response.statusCode()).as(names.get(r)).isEqualTo(200);
                if (run >= 0) {
                    times[r][run] = ms;
                }
                bytes[r] = response.body().length();
            }
            long start = System.nanoTime();
            overview.overview(new OverviewQuery("", List.of(), "env", "attention", 1, OverviewQuery.DEFAULT_SIZE));
            if (run >= 0) {
                times[names.size()][run] = (System.nanoTime() - start) / 1e6;
            }
        }
        StringBuilder table = new StringBuilder("| request | median ms | p95 ms | max ms | KB |\n|---|---:|---:|---:|---:|\n");
        for (int r = 0; r <= names.size(); r++) {
            double[] sorted = times[r].clone();
            Arrays.sort(sorted);
            String name = r < names.size() ? names.get(r) + " (`" + requests.get(names.get(r))[0] + "`)"
                    : "of which the data alone: `OverviewService.overview` (grouped by env, needs attention), in process";
            table.append(String.format("| %s | %.1f | %.1f | %.1f | %s |%n", name, sorted[RUNS / 2],
                    sorted[(int) Math.ceil(RUNS * 0.95) - 1], sorted[RUNS - 1],
                    r < names.size() ? String.valueOf(bytes[r] / 1024) : "-"));
        }
        String summary = client.send(HttpRequest.newBuilder(URI.create(base + "/api/overview?size=1")).build(),
                HttpResponse.BodyHandlers.ofString()).body().replaceAll(".*\"summary\":(\\{[^}]*\\}).*", "$1");
        System.out.println(table);
        System.out.println("summary " + summary);

        try (Browser browser = Browser.start()) {
            Page page = browser.open(base + "/?group=env&show=attention", 1400, 1800);
            page.waitForSelector("#cards [data-instance]");
            Path shot = Paths.get("docs", "screenshots", "overview-1000.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(false));
        }

        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String report = """
                # Overview benchmark: 1,000 instances

                Date: %s. Machine: 2 cores shared by several builds, Java %s, H2 file database (as shipped).
                Command: `./mvnw -B -ntp -o test -Pbenchmark -Dbenchmark.heap=1g -Dtest=OverviewBenchmark`

                1,000 instances (8 services x prod/staging, tags `env`, `team`, `service`), each with an hour of samples
                at 1 per minute (%,d rows) stored through `SnapshotRepository.saveAll`: 2 %% down for the last 7 minutes,
                2 %% at 92-99 %% of maxmemory, 1 %% growing to full within a few hours, 1 %% evicting (an `evictions` alert
                fires), the rest healthy at 10-70 %%. Summary the overview shows: `%s`.
                Setup %.1f s, of which making the 1,000 forecasts once %.1f s (what the alert engine does as samples
                arrive; the overview only reads the forecast cache).

                Each request over HTTP on loopback, one after the other, round-robin: 10 warm-up rounds, then %d measured:

                %s
                The page shows 60 instances per page, worst first: the ones that need a look as cards (as rows with
                why when more than 12 of them are on the page), the healthy ones as compact rows.
                Reads per render: the instance list, the tags, `snapshot_latest` (one row per instance), alerts from
                memory, forecasts from the cache: no query per instance.

                Load average when measured (2 cores): %.2f. Figures on this machine are noisy: other builds ran at the
                same time.
                """.formatted(LocalDate.now(), System.getProperty("java.specification.version"), history.size(),
                summary, setupSeconds, forecastSeconds, RUNS, table, load);
        Files.createDirectories(Paths.get("docs", "benchmarks"));
        Files.writeString(Paths.get("docs", "benchmarks", "overview.md"), report);
    }

    private static Snapshot sample(InstanceId id, Instant at, Kind kind, int i, int minuteOfHour) {
        long max = (256L << (i % 4)) * MB;
        double share = switch (kind) {
            case FULL -> 0.92 + (i % 8) / 100.0;
            case GROWING -> 0.40 + minuteOfHour * 0.006;
            default -> 0.10 + (i * 37 % 60) / 100.0;
        };
        long used = (long) (max * share);
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        values.put(Metric.USED_MEMORY, used);
        values.put(Metric.MAXMEMORY, max);
        values.put(Metric.USED_MEMORY_RSS, (long) (used * 1.1));
        values.put(Metric.TOTAL_SYSTEM_MEMORY, 16L * 1024 * MB);
        values.put(Metric.MEM_FRAGMENTATION_RATIO, 1.1);
        values.put(Metric.KEYS, used / 2048);
        values.put(Metric.EXPIRES, used / 8192);
        values.put(Metric.MAXMEMORY_POLICY, "allkeys-lru");
        values.put(Metric.EVICTED_KEYS, kind == Kind.EVICTING ? 1000L * minuteOfHour : 0L);
        values.put(Metric.REDIS_VERSION, "7.2.6");
        return Snapshot.ok(id, at, values);
    }

    enum Kind {
        DOWN, FULL, GROWING, EVICTING, HEALTHY;

        static Kind of(int i) {
            int slot = i * 7919 % 100;
            return slot < 2 ? DOWN : slot < 4 ? FULL : slot < 5 ? GROWING : slot < 6 ? EVICTING : HEALTHY;
        }
    }
}
