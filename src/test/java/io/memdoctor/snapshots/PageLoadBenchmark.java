package io.memdoctor.snapshots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;

import com.microsoft.playwright.Page;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.support.Browser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * How fast the instance page is usable with a 7-day range of 1-second samples, measured in Chromium: from
 * navigation start to all three charts drawn with data. Run with
 * {@code ./mvnw -B test -Pbenchmark -Dbenchmark.heap=2g -Dtest=PageLoadBenchmark}; writes {@code docs/benchmarks/page-load.md}.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class PageLoadBenchmark {

    static final int RUNS = 10;

    /** The H2 file database, as shipped (the test profile's in-memory one would hold 600,000 rows on the heap). */
    @org.springframework.test.context.DynamicPropertySource
    static void fileDatabase(org.springframework.test.context.DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("memdoctor-page-bench");
        registry.add("spring.datasource.url",
                () -> "jdbc:h2:file:" + dir.resolve("memdoctor") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }

    @LocalServerPort
    int port;

    @Autowired
    SnapshotRepository repository;

    @Autowired
    SnapshotRetention retention;

    @Autowired
    InstanceService instances;

    /** Each request the 7-day page makes, timed alone: where the server spends the time. */
    static String serialTimings(String base, Instant now) throws IOException {
        Instant weekAgo = now.minus(Duration.ofDays(7));
        Map<String, String> requests = new java.util.LinkedHashMap<>();
        requests.put("page HTML", "/instances/week?range=7d");
        requests.put("7-day history API (1000 points, the charts' fields)", "/api/instances/week/snapshots?from="
                + weekAgo + "&to=" + now + "&maxPoints=1000&fields=" + LoadBenchmark.CHART_FIELDS);
        requests.put("diagnosis panel, 7 days", "/instances/week/diagnosis?range=7d");
        requests.put("checks panel", "/instances/week/checks");
        requests.put("summary fragment (htmx)", "/instances/week?range=7d");
        StringBuilder table = new StringBuilder("| request | median ms | min ms |\n|---|---:|---:|\n");
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (Map.Entry<String, String> request : requests.entrySet()) {
            double[] times = new double[5];
            for (int i = 0; i < times.length; i++) {
                long start = System.nanoTime();
                try {
                    var response = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(base + request.getValue()))
                            .header("HX-Request", String.valueOf(!request.getKey().equals("page HTML"))).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(request.getValue() + " answered " + response.statusCode());
                    }
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                times[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(times);
            table.append("| ").append(request.getKey()).append(" (`").append(request.getValue().replaceAll("\\?.*", ""))
                    .append("`) | ").append(String.format("%.0f", times[2])).append(" | ")
                    .append(String.format("%.0f", times[0])).append(" |\n");
        }
        return table.toString();
    }

    @Test
    void sevenDayInstancePage() throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        InstanceId id = instances.add("week", "redis://127.0.0.1:1").id();
        int rows = WeekOfSamples.seed(repository, retention, id, now);

        String base = "http://127.0.0.1:" + port;
        String serial = serialTimings(base, now);
        System.out.println(serial);

        double[] millis = new double[RUNS];
        double[] api = new double[RUNS];
        double[] complete = new double[RUNS];
        try (Browser browser = Browser.start()) {
            for (int i = -2; i < RUNS; i++) {
                Page page = browser.open("about:blank", 1280, 1000);
                long start = System.nanoTime();
                page.navigate("http://127.0.0.1:" + port + "/instances/week?range=7d");
                page.waitForFunction("() => ['memory-chart','fragmentation-chart','keys-chart'].every(id => {"
                        + " const c = window.Chart && Chart.getChart(id);"
                        + " return c && c.data.datasets[0].data.some(p => p.y != null); })",
                        null, new Page.WaitForFunctionOptions().setPollingInterval(5));
                double elapsed = (System.nanoTime() - start) / 1e6;
                // the panels (diagnosis, checks) fill in after the charts; the next load starts when they are done
                page.waitForFunction("() => document.querySelector('#diagnosis .verdict')"
                        + " && document.querySelector('#checks .check, #checks .empty')", null,
                        new Page.WaitForFunctionOptions().setPollingInterval(5));
                double allPanels = (System.nanoTime() - start) / 1e6;
                Number apiMillis = (Number) page.evaluate("() => { const e = performance.getEntriesByType('resource')"
                        + ".filter(r => r.name.includes('/snapshots?')); return e.length ? e[e.length - 1].duration : -1; }");
                if (i >= 0) {
                    millis[i] = elapsed;
                    api[i] = apiMillis.doubleValue();
                    complete[i] = allPanels;
                }
                if (i == RUNS - 1) {
                    Browser.screenshot(page, "instance-7d");
                    System.out.println("Requests of the last load (ms from navigation start, duration):\n" + page.evaluate(
                            "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                            + ".map(e => Math.round(e.startTime) + ' +' + Math.round(e.duration) + ' ' + e.name).join('\\n')"));
                }
                page.context().close();
            }
        }
        Arrays.sort(millis);
        Arrays.sort(api);
        Arrays.sort(complete);
        String report = """
                # Instance page load benchmark

                Date: %s. Machine: 2 cores, 24 GiB, Java %s, Debian Chromium (headless) via Playwright.
                Command: `./mvnw -B test -Pbenchmark -Dbenchmark.heap=2g -Dtest=PageLoadBenchmark`

                The instance page with the 7-day range, one instance sampled every second for 7 days (%,d samples,
                rolled up per minute as the dashboard does). Measured: from navigation start until all three charts
                are drawn with data points. 2 warm-up loads, then %d measured loads, each in a fresh browser context.

                | measure | p50 ms | p90 ms | max ms |
                |---|---|---|---|
                | navigation to three charts drawn | %.0f | %.0f | %.0f |
                | of which the 7-day history API call | %.0f | %.0f | %.0f |
                | navigation to diagnosis and checks panels filled | %.0f | %.0f | %.0f |

                Each request alone (no browser, one after the other, 5 times, median ms):

                %s

                Load average when measured (2 cores): %s
                """.formatted(LocalDate.now(), Runtime.version().feature(), rows, RUNS, millis[RUNS / 2],
                millis[(int) Math.ceil(RUNS * 0.9) - 1], millis[RUNS - 1], api[RUNS / 2],
                api[(int) Math.ceil(RUNS * 0.9) - 1], api[RUNS - 1], complete[RUNS / 2],
                complete[(int) Math.ceil(RUNS * 0.9) - 1], complete[RUNS - 1], serial,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println(report);
        Path out = Path.of("docs/benchmarks/page-load.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }
}
