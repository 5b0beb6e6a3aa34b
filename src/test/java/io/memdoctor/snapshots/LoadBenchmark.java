package io.memdoctor.snapshots;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.RedisMemoryDoctorApplication;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.support.DashboardProcess;
import io.memdoctor.support.PostgresServer;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard under a team's load: 20 instances sampled every second, a throttled scan of 200,000 keys running,
 * and 50 concurrent clients loading the overview page and the 7-day history API for 60 seconds, all on loopback.
 * Counts errors and missed samples, reports requests/s, p50/p99 latencies and the dashboard's RSS. Runs once on a
 * private PostgreSQL database (created and dropped, where {@link PostgresServer} finds a server) and once on the
 * shipped H2 file database, one after the other. Run with
 * {@code flock /tmp/bench.lock ./mvnw -B -ntp -o test -Pbenchmark -Dbenchmark.heap=1g -Dtest=LoadBenchmark}; writes
 * {@code docs/benchmarks/load.md} (keeping the sections added by hand below the generated ones).
 */
@Tag("benchmark")
class LoadBenchmark {

    /** The metrics charts.js asks for. */
    static final String CHART_FIELDS = "usedMemory,usedMemoryRss,usedMemoryDataset,maxmemory,memFragmentationRatio,"
            + "allocatorFragRatio,evictedKeys,expiredKeys,rdbBgsaveInProgress,aofRewriteInProgress,totalForks";

    // smaller values (-Dload.instances=3 -Dload.clients=4 -Dload.seconds=5) only to try a change to this class
    static final int INSTANCES = Integer.getInteger("load.instances", 20);
    static final int CLIENTS = Integer.getInteger("load.clients", 50);
    static final Duration LOAD = Duration.ofSeconds(Integer.getInteger("load.seconds", 60));
    static final int SCAN_KEYS = 200_000;
    static final int SCAN_RATE = 2_500;
    static final String DASHBOARD_HEAP = "512m";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void twentyInstancesFiftyClientsOneMinuteOnBothStores() throws Exception {
        Path dir = Files.createTempDirectory("memdoctor-load");
        List<RedisServer> servers = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        try {
            for (int i = 0; i < INSTANCES; i++) {
                servers.add(i == 1 ? RedisServer.start("--enable-debug-command", "yes") : RedisServer.start());
            }
            servers.get(1).cli("DEBUG", "POPULATE", Integer.toString(SCAN_KEYS), "key", "100");
            List<String> instances = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                instances.add("--memdoctor.instances[" + i + "].name=" + name(i));
                instances.add("--memdoctor.instances[" + i + "].url=" + servers.get(i).url());
            }
            PostgresServer server = PostgresServer.get().orElse(null);
            if (server == null) {
                System.out.println("PostgreSQL: not measured (" + PostgresServer.UNAVAILABLE + ")");
            }
            else {
                // a private database, created for the run and dropped after it, as the store tests do
                String database = server.createDatabase();
                try {
                    String version;
                    try (Connection connection = DriverManager.getConnection(server.url(database), server.user(),
                            server.password()); Statement statement = connection.createStatement();
                            ResultSet rs = statement.executeQuery("SHOW server_version")) {
                        rs.next();
                        version = rs.getString(1);
                    }
                    results.add(measure("PostgreSQL " + version.replaceAll(" .*", ""), dir.resolve("postgresql"),
                            instances, List.of("--spring.datasource.url=" + server.url(database),
                                    "--spring.datasource.username=" + server.user(),
                                    "--spring.datasource.password=" + server.password())));
                }
                finally {
                    server.dropDatabase(database);
                }
            }
            // the H2 file database as shipped (its URL from application.yml, under the data directory)
            results.add(measure("H2 file", dir.resolve("h2"), instances, List.of()));
        }
        finally {
            servers.forEach(RedisServer::close);
        }
        String report = report(results);
        System.out.println(report);
        Path out = Path.of("docs/benchmarks/load.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report + handWritten(out));
    }

    /** One store: a week of history seeded, then the dashboard started on it and loaded. */
    private Result measure(String store, Path dir, List<String> instances, List<String> storeArgs) throws Exception {
        Files.createDirectories(dir);
        long seedStart = System.nanoTime();
        int seeded = seedWeek(dir, instances, storeArgs);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

        List<String> args = new ArrayList<>(List.of("--memdoctor.data-dir=" + dir, "--memdoctor.sampling.interval=1s"));
        args.addAll(storeArgs);
        args.addAll(instances);
        try (DashboardProcess dashboard = DashboardProcess.startWithHeap(dir.resolve("dashboard.log"), DASHBOARD_HEAP,
                args.toArray(String[]::new))) {
            return run(store, dashboard, seeded, seedSeconds);
        }
    }

    /** The sections written by hand below the generated report: kept when the benchmark writes it again. */
    private static String handWritten(Path report) throws IOException {
        if (!Files.exists(report)) {
            return "";
        }
        String text = Files.readString(report);
        int at = text.indexOf("\n## ");
        while (at >= 0) {
            int end = text.indexOf('\n', at + 1);
            if (text.substring(at, end < 0 ? text.length() : end).contains("(added by hand)")) {
                return text.substring(at);
            }
            at = text.indexOf("\n## ", at + 1);
        }
        return "";
    }

    private Result run(String store, DashboardProcess dashboard, int seeded, double seedSeconds) throws Exception {
        String base = dashboard.baseUrl();
        // as the instance page asks for it (charts.js): the 11 metrics the charts draw
        String history = "/api/instances/" + name(0) + "/snapshots?from=%s&to=%s&maxPoints=1000&fields=" + CHART_FIELDS;
        // let the first samples and the JIT settle, as a dashboard that has been up a while
        Thread.sleep(5_000);
        for (int i = 0; i < 20; i++) {
            send(base + "/");
            send(base + sevenDays(history));
        }
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/api/instances/" + name(1)
                + "/scans")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"maxKeysPerSecond\":" + SCAN_RATE + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new AssertionError("scan did not start: " + started.statusCode() + " " + started.body());
        }
        String scanId = JsonPath.read(started.body(), "$.id");
        Thread.sleep(2_000);

        List<Long> rss = new CopyOnWriteArrayList<>();
        Thread rssSampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                rss.add(rssKiB(dashboard.pid()));
                try {
                    Thread.sleep(1_000);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }, "rss-sampler");
        rssSampler.setDaemon(true);
        rssSampler.start();
        double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        while (Instant.now().isBefore(from)) {
            Thread.sleep(5);
        }
        Instant to = from.plus(LOAD);
        List<Long> overview = Collections.synchronizedList(new ArrayList<>());
        List<Long> week = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        List<String> errorSamples = new CopyOnWriteArrayList<>();
        List<Thread> clients = IntStream.range(0, CLIENTS).mapToObj(c -> new Thread(() -> {
            boolean page = c % 2 == 0;
            while (Instant.now().isBefore(to)) {
                String path = page ? "/" : sevenDays(history);
                long start = System.nanoTime();
                String problem = send(base + path);
                long took = System.nanoTime() - start;
                if (problem != null) {
                    errors.incrementAndGet();
                    if (errorSamples.size() < 5) {
                        errorSamples.add(path + ": " + problem);
                    }
                }
                (page ? overview : week).add(took);
                page = !page;
            }
        }, "client-" + c)).toList();
        clients.forEach(Thread::start);
        for (Thread client : clients) {
            client.join();
        }
        rssSampler.interrupt();
        double loadAfter = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Thread.sleep(2_000);

        int expected = (int) LOAD.toSeconds();
        int missed = 0;
        int failedSamples = 0;
        long minCount = Long.MAX_VALUE;
        long maxCount = 0;
        double maxGap = 0;
        for (int i = 0; i < INSTANCES; i++) {
            String body = send(base + "/api/instances/" + name(i) + "/snapshots?from=" + from + "&to=" + to
                    + "&maxPoints=20000", true);
            List<String> times = JsonPath.read(body, "$[*].timestamp");
            List<String> statuses = JsonPath.read(body, "$[*].status");
            failedSamples += (int) statuses.stream().filter(s -> !"OK".equals(s)).count();
            minCount = Math.min(minCount, times.size());
            maxCount = Math.max(maxCount, times.size());
            // a 1-second schedule puts 59-61 samples in a 60-second window, depending on the phase
            missed += Math.max(0, expected - 1 - times.size());
            for (int t = 1; t < times.size(); t++) {
                maxGap = Math.max(maxGap,
                        Duration.between(Instant.parse(times.get(t - 1)), Instant.parse(times.get(t))).toMillis() / 1e3);
            }
        }
        String scan = send(base + "/api/scans/" + scanId, true);
        return new Result(store, seeded, seedSeconds, overview, week, errors.get(), errorSamples, missed,
                failedSamples, minCount, maxCount, maxGap, rss, loadBefore, loadAfter, JsonPath.read(scan, "$.status"),
                ((Number) JsonPath.read(scan, "$.keysScanned")).longValue());
    }

    /** What one store's run measured. */
    private record Result(String store, int seeded, double seedSeconds, List<Long> overview, List<Long> week,
            int errors, List<String> errorSamples, int missed, int failedSamples, long minCount, long maxCount,
            double maxGap, List<Long> rss, double loadBefore, double loadAfter, String scanStatus, long scanKeys) {

        List<Long> all() {
            List<Long> both = new ArrayList<>(overview);
            both.addAll(week);
            return both;
        }

        double perSecond() {
            return (overview.size() + week.size()) / (double) LOAD.toSeconds();
        }

        double rssPeakMiB() {
            return rss.stream().mapToLong(Long::longValue).max().orElse(0) / 1024.0;
        }
    }

    private static String report(List<Result> results) {
        StringBuilder side = new StringBuilder();
        StringBuilder details = new StringBuilder();
        for (Result r : results) {
            side.append("| %s | %,d | **%.1f** | %d | %.0f / **%.0f** | %.0f / %.0f | %.0f / %.0f | %d | %.0f MiB | %.2f / %.2f |%n"
                    .formatted(r.store(), r.overview().size() + r.week().size(), r.perSecond(), r.errors(),
                            millis(r.all(), 0.5), millis(r.all(), 0.99), millis(r.overview(), 0.5),
                            millis(r.overview(), 0.99), millis(r.week(), 0.5), millis(r.week(), 0.99), r.missed(),
                            r.rssPeakMiB(), r.loadBefore(), r.loadAfter()));
            double rssMean = r.rss().stream().mapToLong(Long::longValue).average().orElse(0) / 1024.0;
            details.append("""

                    ### %s

                    7-day history (%,d samples) stored and rolled up in %.0f s before the dashboard started. Scan at
                    the end: %s, %,d keys scanned.

                    | endpoint | requests | p50 ms | p99 ms | max ms |
                    |---|---|---|---|---|
                    | `GET /` (overview) | %,d | %.1f | %.1f | %.1f |
                    | 7-day history API | %,d | %.1f | %.1f | %.1f |
                    | all | %,d | %.1f | %.1f | %.1f |

                    - Errors (non-2xx answers or exceptions): **%d**%s
                    - Samples stored per instance in the %d-second window: %d to %d (expected %d ± 1 at 1 s); missed
                      samples: **%d**; samples stored as failed: %d; largest gap between two samples of one instance: %.1f s.
                    - Dashboard RSS (VmRSS, read every second during the load): peak %.0f MiB, mean %.0f MiB.
                    - Load average (1 min) before / after: %.2f / %.2f.
                    """.formatted(r.store(), r.seeded(), r.seedSeconds(), r.scanStatus(), r.scanKeys(),
                    r.overview().size(), millis(r.overview(), 0.5), millis(r.overview(), 0.99),
                    millis(r.overview(), 1.0), r.week().size(), millis(r.week(), 0.5), millis(r.week(), 0.99),
                    millis(r.week(), 1.0), r.overview().size() + r.week().size(), millis(r.all(), 0.5),
                    millis(r.all(), 0.99), millis(r.all(), 1.0), r.errors(),
                    r.errorSamples().isEmpty() ? "." : " " + r.errorSamples(), LOAD.toSeconds(), r.minCount(),
                    r.maxCount(), LOAD.toSeconds(), r.missed(), r.failedSamples(), r.maxGap(), r.rssPeakMiB(), rssMean,
                    r.loadBefore(), r.loadAfter()));
        }
        return """
                # Load benchmark (PostgreSQL and H2 side by side)

                Date: %s. Machine: %d cores, Java %s, dashboard heap -Xmx%s. Other load: see the load averages.
                Command: `flock /tmp/bench.lock ./mvnw -B -ntp -o test -Pbenchmark -Dbenchmark.heap=1g -Dtest=LoadBenchmark`

                Setup, the same for each store, one store after the other in one run: the dashboard in its own JVM on
                loopback, %d private redis-servers each registered as an instance and sampled every second; a keyspace
                scan of %,d keys throttled to %,d keys/s on one of them; one instance with a 7-day history of 1-second
                samples. Then %d client threads (java.net.http, HTTP/1.1, loopback), each alternating `GET /` (the
                overview, %d cards) and the 7-day history API the instance page calls
                (`GET /api/instances/%s/snapshots?from=<now-7d>&to=<now>&maxPoints=1000&fields=<the 11 charted metrics>`)
                for %d s, after 20 warm-up requests of each. PostgreSQL: the local server, default settings, a private
                database created for the run and dropped after it. H2: the file database under the data directory, as
                shipped.

                | store | requests | requests/s | errors | all p50 / p99 ms | overview p50 / p99 ms | 7-day API p50 / p99 ms | missed samples | RSS peak | load before / after |
                |---|---:|---:|---:|---|---|---|---:|---:|---|
                %s%s""".formatted(LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                Runtime.version().feature(), DASHBOARD_HEAP, INSTANCES, SCAN_KEYS, SCAN_RATE, CLIENTS, INSTANCES,
                name(0), LOAD.toSeconds(), side, details);
    }

    private int seedWeek(Path dir, List<String> instances, List<String> storeArgs) {
        List<String> args = new ArrayList<>(List.of("--memdoctor.data-dir=" + dir, "--memdoctor.sampling.enabled=false",
                "--memdoctor.retention.scheduled=false", "--spring.main.banner-mode=off"));
        args.addAll(storeArgs);
        args.addAll(instances);
        try (ConfigurableApplicationContext seed = new SpringApplicationBuilder(RedisMemoryDoctorApplication.class)
                .web(WebApplicationType.NONE).run(args.toArray(String[]::new))) {
            return WeekOfSamples.seed(seed.getBean(SnapshotRepository.class), seed.getBean(SnapshotRetention.class),
                    seed.getBean(InstanceService.class).get(name(0)).id(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    private static String sevenDays(String history) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return history.formatted(now.minus(Duration.ofDays(7)), now);
    }

    /** Null when the answer is a 2xx, else what went wrong. */
    private String send(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        }
        catch (IOException ex) {
            return ex.toString();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return ex.toString();
        }
    }

    private String send(String url, boolean body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(url + ": HTTP " + response.statusCode());
        }
        return response.body();
    }

    private static double millis(List<Long> nanos, double quantile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    private static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        }
        catch (IOException ex) {
            // the process is gone: nothing to read
        }
        return 0;
    }

    private static String name(int i) {
        return "r%02d".formatted(i);
    }
}
