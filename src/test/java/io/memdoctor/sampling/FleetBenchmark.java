package io.memdoctor.sampling;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.support.DashboardProcess;
import io.memdoctor.support.HostileRedis;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A fleet on one dashboard: 1,000 instances served by private redis-servers (each with 64 databases, one instance
 * per database) sampled at 10 s and at 1 s, 800 live plus 200 dead ones (100 closed ports, 100 listeners that accept
 * and never answer), and larger fleets to find where it breaks. The dashboard runs in its own JVM on an H2 file
 * database (as shipped); its CPU is its process' CPU time ({@code /proc/PID/stat}) over the measured window, so the
 * redis-servers are not counted. Samples are read back through the history API after the window.
 * Run with {@code ./mvnw -B -ntp -o test -Pbenchmark -Dtest=FleetBenchmark}
 * ({@code -Dfleet.scenarios=1000@10s,1000@1s,800+200@1s,2000@1s} picks scenarios); writes {@code docs/benchmarks/fleet.md}
 * ({@code -Dfleet.report=PATH} elsewhere). {@code -Dfleet.jfr=PATH} records the dashboard with JFR and prints the
 * window's bounds (profiling runs: the recording's own CPU is in the figure); every run prints the window's CPU by
 * thread. {@code -Dfleet.scrape=15s} has a Prometheus-like scraper GET {@code /actuator/prometheus} every 15 s from the
 * dashboard's start to the window's end (the scrapes bring the minute's diagnosis of every instance) and prints each
 * scrape's duration, body size and series count.
 */
@Tag("benchmark")
class FleetBenchmark {

    static final int DATABASES = 64;
    static final String SCENARIOS = System.getProperty("fleet.scenarios", "1000@10s,1000@1s,800+200@1s,2000@1s,3000@1s");
    static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("fleet.warmup", 25));
    static final String HEAP = System.getProperty("fleet.heap", "512m");
    static final Path REPORT = Path.of(System.getProperty("fleet.report", "docs/benchmarks/fleet.md"));
    /* a JFR recording from the dashboard's start (started later, JFR deoptimized the compiled code and the window
       measured the interpreter), dumped at the window's end: for profiling runs only, as it costs CPU of its own */
    static final String JFR = System.getProperty("fleet.jfr", "");
    /* -Dfleet.scrape=15s: GET /actuator/prometheus at this period from the warm-up's start to the window's end, as a
       Prometheus would (which brings the once-a-minute diagnosis of every instance for memdoctor_diagnosis back) */
    static final String SCRAPE = System.getProperty("fleet.scrape", "");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Scenario(String name, int live, int dead, Duration interval, Duration window) {

        static Scenario parse(String text) {
            String[] parts = text.split("@");
            Duration interval = Duration.parse("PT" + parts[1].toUpperCase());
            String[] fleet = parts[0].split("\\+");
            int live = Integer.parseInt(fleet[0]);
            int dead = fleet.length > 1 ? Integer.parseInt(fleet[1]) : 0;
            Duration window = interval.getSeconds() >= 10 ? Duration.ofSeconds(60) : Duration.ofSeconds(30);
            return new Scenario(text, live, dead, interval, window);
        }

        long expectedPerInstance() {
            return window.toMillis() / interval.toMillis();
        }
    }

    record Result(Scenario scenario, long stored, long expected, long failedHealthy, double cpuPercent,
            double maxDeviationMs, double p99DeviationMs, long minPerInstance, long maxPerInstance,
            double loadBefore, double loadAfter, String firstFailure, String byThread,
            PrometheusScraper.Summary scrapes) {

        double storedRatio() {
            return 100.0 * stored / expected;
        }

        double perSecond() {
            return stored / (double) scenario.window().toSeconds();
        }
    }

    @Test
    void aFleetOnOneDashboard() throws Exception {
        List<Scenario> scenarios = Arrays.stream(SCENARIOS.split(",")).map(Scenario::parse).toList();
        int most = scenarios.stream().mapToInt(Scenario::live).max().orElseThrow();
        List<RedisServer> servers = new ArrayList<>();
        List<HostileRedis> silent = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        try {
            for (int i = 0; i * DATABASES < most; i++) {
                servers.add(RedisServer.start("--databases", Integer.toString(DATABASES)));
            }
            for (int i = 0; i < 100; i++) {
                silent.add(HostileRedis.start(HostileRedis.Behaviour.SILENT));
            }
            for (Scenario scenario : scenarios) {
                Result result = run(scenario, servers, silent);
                results.add(result);
                System.out.printf("Fleet %s: stored %d of %d (%.2f %%), %.0f samples/s, failed on healthy %d,"
                        + " dashboard CPU %.1f %% of one core, interval deviation max %.0f ms p99 %.0f ms,"
                        + " per instance %d..%d%n", scenario.name(), result.stored(), result.expected(),
                        result.storedRatio(), result.perSecond(), result.failedHealthy(), result.cpuPercent(),
                        result.maxDeviationMs(), result.p99DeviationMs(), result.minPerInstance(),
                        result.maxPerInstance());
                if (result.scrapes() != null) {
                    System.out.printf("Fleet %s: scrapes of /actuator/prometheus every %s in the window: %s%n",
                            scenario.name(), SCRAPE, result.scrapes());
                }
            }
        }
        finally {
            servers.forEach(RedisServer::close);
            silent.forEach(HostileRedis::close);
        }
        write(results, servers.size());
    }

    private Result run(Scenario scenario, List<RedisServer> servers, List<HostileRedis> silent) throws Exception {
        Path dir = Files.createTempDirectory("memdoctor-fleet");
        List<String> args = new ArrayList<>(List.of("--memdoctor.data-dir=" + dir,
                "--memdoctor.sampling.interval=" + scenario.interval().toMillis() + "ms",
                "--logging.level.io.memdoctor.instances=WARN"));
        List<String> healthy = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < scenario.live(); i++) {
            RedisServer server = servers.get(i / DATABASES);
            String name = "f" + i;
            healthy.add(name);
            args.add("--memdoctor.instances[" + n + "].name=" + name);
            args.add("--memdoctor.instances[" + n++ + "].url=" + server.url() + "/" + (i % DATABASES));
        }
        for (int i = 0; i < scenario.dead(); i++) {
            String url = i % 2 == 0 ? "redis://127.0.0.1:" + closedPort() : silent.get(i / 2).url();
            args.add("--memdoctor.instances[" + n + "].name=dead" + i);
            args.add("--memdoctor.instances[" + n++ + "].url=" + url);
        }
        List<String> jvm = JFR.isEmpty() ? List.of() : List.of("-XX:StartFlightRecording=name=fleet,settings=profile");
        try (DashboardProcess dashboard = DashboardProcess.startWithJvmOptions(dir.resolve("dashboard.log"), HEAP,
                jvm, args.toArray(String[]::new));
                PrometheusScraper scraper = scraper(dashboard)) {
            Thread.sleep(WARM_UP.toMillis());
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            while (Instant.now().isBefore(from)) {
                Thread.sleep(5);
            }
            Map<String, Long> threadsBefore = threadTicks(dashboard.pid());
            long cpuBefore = cpuTicks(dashboard.pid());
            long wallBefore = System.nanoTime();
            Thread.sleep(scenario.window().toMillis());
            long cpu = cpuTicks(dashboard.pid()) - cpuBefore;
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            String byThread = printByThread(scenario, threadsBefore, threadTicks(dashboard.pid()), wall);
            PrometheusScraper.Summary scrapes = null;
            if (scraper != null) {
                scraper.close(); // the window is over: no scrape after it
                System.out.printf("Fleet %s: every scrape (start, ms, status, bytes, series): %s%n", scenario.name(),
                        scraper.all().stream().map(s -> String.format("%s %.0f %d %d %d%s", s.at(), s.millis(),
                                s.status(), s.bytes(), s.series(), s.error() == null ? "" : " " + s.error()))
                                .toList());
                System.out.printf("Fleet %s: warm-up and window: %s%n", scenario.name(),
                        PrometheusScraper.Summary.of(scraper.all()));
                scrapes = PrometheusScraper.Summary.of(scraper.between(from, from.plus(scenario.window())));
            }
            if (!JFR.isEmpty()) {
                String file = JFR.replace(".jfr", "") + "-" + scenario.name().replace('@', '-') + ".jfr";
                jcmd(dashboard.pid(), "JFR.dump", "name=fleet", "filename=" + file);
                System.out.printf("Fleet %s: JFR in %s, window %s to %s%n", scenario.name(), file, from,
                        from.plus(scenario.window()));
            }
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            Instant to = from.plus(scenario.window());
            // let the last samples of the window be stored
            Thread.sleep(Math.min(3000, scenario.interval().toMillis()));
            Result result = measure(scenario, dashboard, healthy, from, to, 100.0 * cpu / 100.0 / wall, loadBefore,
                    loadAfter);
            return new Result(scenario, result.stored(), result.expected(), result.failedHealthy(),
                    result.cpuPercent(), result.maxDeviationMs(), result.p99DeviationMs(), result.minPerInstance(),
                    result.maxPerInstance(), loadBefore, loadAfter, result.firstFailure(), byThread, scrapes);
        }
    }

    /* from the warm-up's start: the first scrape is what starts the minute's diagnoses (ScrapeDemand) */
    private static PrometheusScraper scraper(DashboardProcess dashboard) {
        return SCRAPE.isEmpty() ? null : PrometheusScraper.start(URI.create(dashboard.url("/actuator/prometheus")),
                Duration.parse("PT" + SCRAPE.toUpperCase()));
    }

    private Result measure(Scenario scenario, DashboardProcess dashboard, List<String> healthy, Instant from,
            Instant to, double cpuPercent, double loadBefore, double loadAfter) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Sample>>> reads = new ArrayList<>();
            for (String name : healthy) {
                reads.add(readers.submit(() -> samples(dashboard, name, from, to)));
            }
            long stored = 0;
            long failed = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            String firstFailure = null;
            List<Double> deviations = new ArrayList<>();
            for (Future<List<Sample>> read : reads) {
                List<Sample> samples = read.get();
                stored += samples.size();
                min = Math.min(min, samples.size());
                max = Math.max(max, samples.size());
                for (int i = 0; i < samples.size(); i++) {
                    Sample sample = samples.get(i);
                    if (!"OK".equals(sample.status())) {
                        failed++;
                        if (firstFailure == null) {
                            firstFailure = sample.status() + " " + sample.error();
                        }
                    }
                    if (i > 0) {
                        long gap = sample.at().toEpochMilli() - samples.get(i - 1).at().toEpochMilli();
                        deviations.add((double) Math.abs(gap - scenario.interval().toMillis()));
                    }
                }
            }
            deviations.sort(Double::compare);
            double maxDeviation = deviations.isEmpty() ? 0 : deviations.get(deviations.size() - 1);
            double p99 = deviations.isEmpty() ? 0 : deviations.get((int) Math.floor(deviations.size() * 0.99));
            return new Result(scenario, stored, scenario.expectedPerInstance() * healthy.size(), failed, cpuPercent,
                    maxDeviation, p99, min, max, loadBefore, loadAfter, firstFailure, null, null);
        }
        finally {
            readers.shutdownNow();
        }
    }

    record Sample(Instant at, String status, String error) {
    }

    private List<Sample> samples(DashboardProcess dashboard, String name, Instant from, Instant to)
            throws IOException, InterruptedException {
        String url = dashboard.url("/api/instances/" + name + "/snapshots?from=" + from + "&to=" + to
                + "&maxPoints=20000&fields=usedMemory");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
        }
        List<String> times = JsonPath.read(response.body(), "$[*].timestamp");
        List<String> statuses = JsonPath.read(response.body(), "$[*].status");
        List<Object> errors = JsonPath.read(response.body(), "$[*].error");
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            samples.add(new Sample(Instant.parse(times.get(i)), statuses.get(i), String.valueOf(errors.get(i))));
        }
        return samples;
    }

    /** utime + stime of the process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command: state is field 3, utime field 14, stime field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** CPU ticks of each thread group (its name without digits: the writer, the parsers, Lettuce, JIT, GC). */
    private static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> ticks = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                }
                catch (IOException | RuntimeException ex) {
                    // the thread ended meanwhile
                }
            }
        }
        return ticks;
    }

    /* a thread group that ended within the window loses its ticks here: a rough split, the total is cpuTicks' */
    private static String printByThread(Scenario scenario, Map<String, Long> before, Map<String, Long> after,
            double wall) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(" %s %.1f;", e.getKey(), e.getValue() / wall)));
        System.out.println("Fleet " + scenario.name() + ": CPU by thread (% of one core):" + out);
        return out.toString().trim();
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + output);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void write(List<Result> results, int servers) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# Fleet sampling benchmark\n\n");
        out.append("Date: ").append(LocalDate.now()).append(". Machine: ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", dashboard heap -Xmx").append(HEAP)
                .append(", H2 file database (as shipped), sampling timeout 2 s (default), max-in-flight 256 (default).\n");
        out.append("Command: `./mvnw -B -ntp -o test -Pbenchmark -Dtest=FleetBenchmark -Dfleet.scenarios=")
                .append(SCENARIOS).append(" -Dfleet.warmup=").append(WARM_UP.toSeconds())
                .append(SCRAPE.isEmpty() ? "" : " -Dfleet.scrape=" + SCRAPE).append("`\n\n");
        out.append("Setup: ").append(servers).append(" private redis-servers (`--databases ").append(DATABASES)
                .append("`), one instance per database (`redis://127.0.0.1:PORT/DB`), registered as configured ")
                .append("instances of a dashboard in its own JVM; dead instances: every other one a closed port, the ")
                .append("rest listeners that accept and never answer. ").append(WARM_UP.toSeconds())
                .append(" s after the dashboard answered, a window of 60 s (10 s interval) or 30 s (1 s) is measured;")
                .append(" its samples are read back through the history API. CPU: the dashboard process' utime + ")
                .append("stime over the window / wall time (100 % = one core).\n\n");
        out.append("| scenario | stored / expected (healthy) | stored | samples/s | failed on healthy | dashboard CPU (% of one core) |"
                + " per instance min..max | interval deviation p99 / max ms | load avg before / after |"
                + " scrapes in the window: n, duration median / max ms, bytes, series | CPU by thread |\n");
        out.append("|---|---:|---:|---:|---:|---:|---|---|---|---|---|\n");
        for (Result r : results) {
            PrometheusScraper.Summary s = r.scrapes();
            String scrapes = s == null ? "none" : String.format("%d%s, %.0f / %.0f, %,d, %,d", s.count(),
                    s.failed() == 0 ? "" : " (" + s.failed() + " failed)", s.medianMillis(), s.maxMillis(),
                    s.lastBytes(), s.lastSeries());
            out.append(String.format("| %s | %.2f %% | %,d / %,d | %.0f | %d%s | %.1f | %d..%d | %.0f / %.0f | %.1f / %.1f | %s | %s |%n",
                    r.scenario().name(), r.storedRatio(), r.stored(), r.expected(), r.perSecond(), r.failedHealthy(),
                    r.firstFailure() == null ? "" : " (" + r.firstFailure().replace('|', '/') + ")", r.cpuPercent(),
                    r.minPerInstance(), r.maxPerInstance(), r.p99DeviationMs(), r.maxDeviationMs(), r.loadBefore(),
                    r.loadAfter(), scrapes, r.byThread()));
        }
        out.append("\nScenario `N@I` is N healthy instances sampled every I; `N+D@I` adds D dead ones (the healthy ")
                .append("columns count the N only). Expected = N x window / interval.\n");
        Files.createDirectories(REPORT.toAbsolutePath().getParent());
        Files.writeString(REPORT, out.toString());
        System.out.println(out);
    }
}
