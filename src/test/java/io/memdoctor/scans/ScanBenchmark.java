package io.memdoctor.scans;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;

import io.memdoctor.RedisMemoryDoctorApplication;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyspace scan against redis-cli on one machine, in one run, on 1,000,004 generated keys. Not a timed test:
 * it measures and reports, and asserts only that every scan went through. Run it with
 *
 * <pre>./mvnw -B test -Pbenchmark -Dtest=ScanBenchmark</pre>
 *
 * (the {@code benchmark} profile runs only tests tagged "benchmark", which the default build leaves out, in a
 * 256 MB heap). It prints a table and writes it to {@code docs/benchmarks/scan.md}.
 *
 * <p>What is measured, each as the best of two runs except the latency pairs:
 * <ol>
 * <li>our full scan (type, bytes, elements, TTL per key) through the dashboard's own {@link ScanService}, against
 * {@code redis-cli --memkeys} (type and bytes only) in keys per second, and against {@code redis-cli --scan}
 * merely listing the keys, in time;</li>
 * <li>the p99 latency {@code redis-benchmark -t get -c 20} sees alone, then in three pairs: while
 * {@code redis-cli --memkeys} runs, and while our scan runs with {@code maxKeysPerSecond} set to the rate --memkeys
 * kept under that load;</li>
 * <li>the peak heap of this JVM during our full scan.</li>
 * </ol>
 */
@Tag("benchmark")
class ScanBenchmark {

    private static final Path RESULTS = Path.of("docs", "benchmarks", "scan.md");
    private static final String COMMAND = "./mvnw -B test -Pbenchmark -Dtest=ScanBenchmark";
    private static final int BENCHMARK_REQUESTS = 20_000;
    private static final int LATENCY_PAIRS = 3;

    @Test
    void scanAgainstRedisCli() throws Exception {
        String loadBefore = loadAverage();
        String busyBefore = busiestProcesses();
        try (RedisServer server = RedisServer.start()) {
            long start = System.nanoTime();
            long keys = BenchmarkDataset.load(server);
            double loadSeconds = seconds(start);
            long dbsize = Long.parseLong(server.cli("DBSIZE").strip());
            assertThat(dbsize).isGreaterThanOrEqualTo(1_000_000);
            String usedMemory = infoField(server, "memory", "used_memory_human");
            System.out.printf("Loaded %,d keys in %.1f s (DBSIZE %,d, used_memory %s)%n", keys, loadSeconds, dbsize,
                    usedMemory);

            try (ConfigurableApplicationContext app = startDashboard(server)) {
                ScanService scans = app.getBean(ScanService.class);

                // the first scan also warms the JIT up; both runs are reported, the best counts
                Timed ours1 = ourScan(server, scans, ScanParameters.defaults());
                Timed listing1 = timed(server, () -> redisCli(server, "--scan"));
                Timed memkeys1 = timed(server, () -> redisCli(server, "--memkeys"));
                Timed ours2 = ourScan(server, scans, ScanParameters.defaults());
                Timed listing2 = timed(server, () -> redisCli(server, "--scan"));
                Timed memkeys2 = timed(server, () -> redisCli(server, "--memkeys"));
                Timed ours = best(ours1, ours2);
                Timed listing = best(listing1, listing2);
                Timed memkeys = best(memkeys1, memkeys2);

                double memkeysRate = dbsize / memkeys.seconds;
                double oursRate = ours.keys / ours.seconds;

                // Latency, in pairs: --memkeys under the GET load, then our scan throttled to the rate --memkeys
                // kept under that same load. Pairs, not one run each, because the host drifts from minute to
                // minute by more than the difference being measured.
                Latency alone = latencyDuring(server, () -> sleepSeconds(Math.min(memkeys.seconds, 20)));
                List<LatencyPair> pairs = new ArrayList<>();
                for (int pair = 0; pair < LATENCY_PAIRS; pair++) {
                    double[] cliCpu = new double[1];
                    Latency duringMemkeys = latencyDuring(server, () -> cliCpu[0] = redisCli(server, "--memkeys"));
                    int matchedRate = (int) Math.round(dbsize / duringMemkeys.activitySeconds);
                    Timed[] scan = new Timed[1];
                    Latency duringOurs = latencyDuring(server, () -> scan[0] = ourScan(server, scans,
                            ScanParameters.of(null, null, null, null, null, matchedRate, null)));
                    pairs.add(new LatencyPair(matchedRate, duringMemkeys, cliCpu[0], duringOurs, scan[0].clientCpu));
                    System.out.printf(Locale.ROOT, "latency pair %d at %,d keys/s: GET p99 %.3f ms during --memkeys,"
                            + " %.3f ms during ours%n", pair + 1, matchedRate, duringMemkeys.medianP99,
                            duringOurs.medianP99);
                }

                String report = report(keys, dbsize, usedMemory, loadSeconds, ours1, ours2, listing1, listing2,
                        memkeys1, memkeys2, oursRate, memkeysRate, ours, listing, memkeys, alone, pairs, loadBefore,
                        busyBefore);
                System.out.println(report);
                Files.createDirectories(RESULTS.getParent());
                Files.writeString(RESULTS, report, StandardCharsets.UTF_8);
            }
        }
    }

    private static ConfigurableApplicationContext startDashboard(RedisServer server) {
        return new SpringApplicationBuilder(RedisMemoryDoctorApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .run("--memdoctor.instances[0].name=bench", "--memdoctor.instances[0].url=" + server.url(),
                        "--logging.level.io.memdoctor=WARN");
    }

    /** A scan through the dashboard's service, with the peak heap and the CPU used while it ran. */
    private static Timed ourScan(RedisServer server, ScanService scans, ScanParameters parameters) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        double redisCpu = redisCpu(server);
        long jvmCpu = jvmCpuNanos();
        long start = System.nanoTime();
        ScanView scan = scans.start("bench", parameters);
        while (scan.running()) {
            sleepMillis(20);
            scan = scans.get(scan.id());
        }
        double wall = seconds(start);
        double jvmSeconds = (jvmCpuNanos() - jvmCpu) / 1e9;
        double redisSeconds = redisCpu(server) - redisCpu;
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.gc();
        long after = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
        assertThat(scan.status()).isEqualTo(ScanStatus.DONE);
        System.out.printf("our scan: %,d keys in %.2f s (%.2f s from the request to DONE), peak heap %s,"
                + " CPU: JVM %.2f s, redis-server %.2f s%n", scan.results().keys(), scan.elapsedSeconds(), wall,
                mb(peak), jvmSeconds, redisSeconds);
        return new Timed(scan.elapsedSeconds(), scan.keysScanned(), peak, after, jvmSeconds, redisSeconds);
    }

    private static Timed timed(RedisServer server, DoubleSupplier clientRun) {
        double redisCpu = redisCpu(server);
        long start = System.nanoTime();
        double clientCpu = clientRun.getAsDouble();
        double seconds = seconds(start);
        return new Timed(seconds, -1, -1, -1, clientCpu, redisCpu(server) - redisCpu);
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double redisCpu(RedisServer server) {
        return Double.parseDouble(infoField(server, "cpu", "used_cpu_user"))
                + Double.parseDouble(infoField(server, "cpu", "used_cpu_sys"));
    }

    private static Timed best(Timed a, Timed b) {
        return a.seconds <= b.seconds ? a : b;
    }

    /**
     * Runs redis-cli with its output thrown away (as a pipe would take it: not a TTY), checks it succeeded and
     * returns the CPU seconds it used (user and system, from the shell's {@code times}).
     */
    private static double redisCli(RedisServer server, String mode) {
        try {
            Process process = new ProcessBuilder("bash", "-c", "redis-cli -h 127.0.0.1 -p " + server.port() + " "
                    + mode + " > /dev/null && times").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + mode + " failed: " + out);
            }
            // the second line of `times`: user and system time of the shell's children, as 0m1.171s 0m3.230s
            String[] children = out.strip().lines().reduce((first, second) -> second).orElseThrow().split("\\s+");
            return shellSeconds(children[0]) + shellSeconds(children[1]);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static double shellSeconds(String time) {
        int m = time.indexOf('m');
        return Integer.parseInt(time.substring(0, m)) * 60 + Double.parseDouble(time.substring(m + 1,
                time.length() - 1));
    }

    /**
     * Runs {@code redis-benchmark -t get -c 20 -n 20000} again and again while {@code activity} runs, and keeps
     * the p99 of every round that ended while it was still running.
     */
    private static Latency latencyDuring(RedisServer server, Runnable activity) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        double[] activitySeconds = new double[1];
        Thread load = new Thread(() -> {
            long started = System.nanoTime();
            try {
                activity.run();
            }
            finally {
                activitySeconds[0] = seconds(started);
                running.set(false);
            }
        });
        List<double[]> rounds = new ArrayList<>();
        load.start();
        while (running.get()) {
            double[] round = benchmarkRound(server);
            if (running.get()) {
                rounds.add(round);
            }
        }
        load.join();
        double[] p99 = rounds.stream().mapToDouble(r -> r[1]).sorted().toArray();
        double[] rps = rounds.stream().mapToDouble(r -> r[0]).sorted().toArray();
        if (p99.length == 0) {
            return new Latency(0, Double.NaN, Double.NaN, Double.NaN, activitySeconds[0]);
        }
        return new Latency(p99.length, p99[p99.length / 2], p99[p99.length * 9 / 10], rps[rps.length / 2],
                activitySeconds[0]);
    }

    /** One redis-benchmark round: {rps, p99 ms}. */
    private static double[] benchmarkRound(RedisServer server) {
        try {
            Process process = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p",
                    Integer.toString(server.port()), "-t", "get", "-c", "20", "-n", Integer.toString(BENCHMARK_REQUESTS),
                    "--csv").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(2, TimeUnit.MINUTES);
            for (String line : output.split("\n")) {
                if (line.startsWith("\"GET\"")) {
                    String[] fields = line.replace("\"", "").split(",");
                    return new double[] {Double.parseDouble(fields[1]), Double.parseDouble(fields[6])};
                }
            }
            throw new IllegalStateException("no GET line in redis-benchmark output: " + output);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static String report(long keys, long dbsize, String usedMemory, double loadSeconds, Timed ours1,
            Timed ours2, Timed listing1, Timed listing2, Timed memkeys1, Timed memkeys2, double oursRate,
            double memkeysRate, Timed ours, Timed listing, Timed memkeys, Latency alone, List<LatencyPair> pairs,
            String loadBefore, String busyBefore) {
        double speedup = oursRate / memkeysRate;
        double timeRatio = ours.seconds / listing.seconds;
        StringBuilder out = new StringBuilder();
        out.append("# Keyspace scan benchmark\n\n");
        out.append("Measured ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append(" with `").append(COMMAND).append("`.\n\n");
        out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(cpuModel()).append("), ").append(totalMemory()).append(", ").append(redisVersion())
                .append(", Java ").append(System.getProperty("java.version")).append(", heap limit ")
                .append(mb(Runtime.getRuntime().maxMemory())).append(".\n");
        out.append("Other load: load average ").append(loadBefore).append(" before the run, ").append(loadAverage())
                .append(" after; busiest other processes at the start: ").append(busyBefore).append(".\n\n");
        out.append(String.format(Locale.ROOT, "Dataset: %,d keys generated (DBSIZE %,d, used_memory %s, loaded in"
                + " %.1f s): strings, hashes, sets, lists and sorted sets, about half with a TTL, plus a list of"
                + " 300,000, a hash and a sorted set of 200,000 and a set of 150,000 elements.%n%n", keys, dbsize,
                usedMemory, loadSeconds));
        out.append("| Measure | Run 1 | Run 2 | Best |\n|---|---:|---:|---:|\n");
        out.append(row("our full scan (type, bytes, elements, TTL), s", ours1.seconds, ours2.seconds, ours.seconds));
        out.append(row("redis-cli --memkeys (type, bytes), s", memkeys1.seconds, memkeys2.seconds,
                Math.min(memkeys1.seconds, memkeys2.seconds)));
        out.append(row("redis-cli --scan (listing only), s", listing1.seconds, listing2.seconds, listing.seconds));
        out.append("\n| Target | Measured | Target | Met |\n|---|---:|---:|:---:|\n");
        out.append(String.format(Locale.ROOT, "| keys/s, ours vs --memkeys | %,.0f vs %,.0f = %.2fx | >= 3x | %s |%n",
                oursRate, memkeysRate, speedup, speedup >= 3 ? "yes" : "no"));
        out.append(String.format(Locale.ROOT, "| time, ours vs --scan | %.2f s vs %.2f s = %.2fx | <= 1.5x | %s |%n",
                ours.seconds, listing.seconds, timeRatio, timeRatio <= 1.5 ? "yes" : "no"));
        double[] ratios = pairs.stream().mapToDouble(LatencyPair::ratio).sorted().toArray();
        double medianRatio = ratios[ratios.length / 2];
        long noWorse = pairs.stream().filter(pair -> pair.ratio() <= 1).count();
        out.append(String.format(Locale.ROOT, "| GET p99, ours at --memkeys' rate / during --memkeys, median of %d"
                + " pairs | %.2f (no worse in %d of %d pairs) | <= 1 | %s |%n", pairs.size(), medianRatio, noWorse,
                pairs.size(), medianRatio <= 1 ? "yes" : "no"));
        out.append(String.format(Locale.ROOT, "| peak heap during our full scan (sum of heap pools' peaks) | %s"
                + " (%s after it, after GC) | bounded | |%n", mb(ours.peakHeap), mb(ours.heapAfter)));
        out.append("\nCPU used by the best run of each (seconds of CPU time; the client is this JVM for our scan and"
                + " the redis-cli process for redis-cli):\n\n");
        out.append("| Run | redis-server CPU | client CPU | wall time |\n|---|---:|---:|---:|\n");
        out.append(cpuRow("our full scan", ours));
        out.append(cpuRow("redis-cli --memkeys", memkeys));
        out.append(cpuRow("redis-cli --scan", listing));
        out.append("\nLatency seen by `redis-benchmark -t get -c 20 -n ").append(BENCHMARK_REQUESTS)
                .append(" --csv`, run round after round while each activity ran (rounds that ended after it are"
                        + " dropped). In each pair `redis-cli --memkeys` runs first, under the GET load, and our scan"
                        + " then runs under the same load with `maxKeysPerSecond` set to the rate --memkeys kept:"
                        + " the same keys per second, as the target asks.\n\n");
        out.append("| While | Rounds | GET p99, median round | GET p99, 9th decile of rounds | GET/s, median"
                + " | Activity took | Client CPU |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        out.append(latencyRow("nothing else (baseline)", alone, Double.NaN));
        for (int i = 0; i < pairs.size(); i++) {
            LatencyPair pair = pairs.get(i);
            out.append(latencyRow("pair " + (i + 1) + ": redis-cli --memkeys", pair.memkeys, pair.memkeysCpu));
            out.append(latencyRow(String.format(Locale.ROOT, "pair %d: our scan, maxKeysPerSecond=%,d", i + 1,
                    pair.rate), pair.ours, pair.oursCpu));
        }
        out.append("\nNotes: our times are the scan's own (from DBSIZE to the last key added up), taken through"
                + " the dashboard's ScanService with default parameters (COUNT 1000, SAMPLES 5, top 100) and its"
                + " own RESP client; redis-cli times are wall times of the process with its output discarded. The"
                + " first scan of the run also warms the JIT up. The peak heap is the sum of each heap pool's peak,"
                + " an upper bound of the true peak, in a JVM capped at the heap limit above.\n");
        return out.toString();
    }

    private static String row(String name, double a, double b, double best) {
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, a, b, best);
    }

    private static String latencyRow(String name, Latency latency, double clientCpu) {
        return String.format(Locale.ROOT, "| %s | %d | %.3f ms | %.3f ms | %,.0f | %.1f s | %s |%n", name,
                latency.rounds, latency.medianP99, latency.p90P99, latency.medianRps, latency.activitySeconds,
                Double.isNaN(clientCpu) ? "" : String.format(Locale.ROOT, "%.2f s", clientCpu));
    }

    private static String cpuRow(String name, Timed run) {
        return String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s |%n", name, run.redisCpu, run.clientCpu,
                run.seconds);
    }

    private static String infoField(RedisServer server, String section, String field) {
        for (String line : server.cli("INFO", section).split("\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        return "?";
    }

    static String redisVersion() {
        return run("redis-server", "--version").strip().replaceAll(" sha=.*", "");
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        }
        catch (IOException ex) {
            return "unknown CPU";
        }
    }

    static String totalMemory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GB RAM")
                    .orElse("? RAM");
        }
        catch (IOException ex) {
            return "? RAM";
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        }
        catch (IOException ex) {
            return "?";
        }
    }

    /** The three processes using the most CPU now, other than this JVM. */
    static String busiestProcesses() {
        String pid = Long.toString(ProcessHandle.current().pid());
        List<String> busy = new ArrayList<>();
        for (String line : run("ps", "-eo", "pid=,pcpu=,comm=", "--sort=-pcpu").split("\n")) {
            String[] fields = line.strip().split("\\s+", 3);
            if (fields.length == 3 && !fields[0].equals(pid) && !fields[2].equals("ps") && busy.size() < 3) {
                busy.add(fields[2] + " " + fields[1] + " %");
            }
        }
        return String.join(", ", busy);
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        }
        catch (IOException ex) {
            return "?";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "—" : String.format(Locale.ROOT, "%.0f MB", bytes / 1024.0 / 1024.0);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void sleepSeconds(double seconds) {
        sleepMillis((long) (seconds * 1000));
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param seconds how long it took
     * @param keys keys measured (our scan only)
     * @param peakHeap peak heap during it (our scan only)
     * @param heapAfter heap after it, after a GC (our scan only)
     * @param clientCpu CPU seconds the client used meanwhile: this JVM for our scan, the redis-cli process for redis-cli
     * @param redisCpu CPU seconds redis-server used meanwhile (used_cpu_user + used_cpu_sys)
     */
    private record Timed(double seconds, long keys, long peakHeap, long heapAfter, double clientCpu, double redisCpu) {
    }

    /**
     * @param rounds redis-benchmark rounds that ended while the activity ran
     * @param medianP99 the median of the rounds' p99, ms
     * @param p90P99 the 9th decile of the rounds' p99, ms
     * @param medianRps the median of the rounds' GET/s
     * @param activitySeconds how long the activity took
     */
    private record Latency(int rounds, double medianP99, double p90P99, double medianRps, double activitySeconds) {
    }

    /** --memkeys under the GET load, then our scan at the rate --memkeys kept, with each client's CPU seconds. */
    private record LatencyPair(int rate, Latency memkeys, double memkeysCpu, Latency ours, double oursCpu) {

        double ratio() {
            return ours.medianP99 / memkeys.medianP99;
        }
    }
}
