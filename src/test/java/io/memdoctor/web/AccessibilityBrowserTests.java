package io.memdoctor.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import io.memdoctor.incidents.CaptureRequest;
import io.memdoctor.incidents.IncidentCapture;
import io.memdoctor.incidents.IncidentService;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.scans.ScanService;
import io.memdoctor.support.Browser;
import io.memdoctor.support.BrowserTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Scans;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every page, in the light and the dark theme, checked by axe-core (Deque's engine, the one browsers' accessibility
 * tools use) against WCAG 2.1 A and AA: colour contrast, a label on every control, landmarks, names of buttons and
 * links, valid ARIA. Also: the main actions can be reached and used with the keyboard alone.
 */
@BrowserTest
@PrivateRedis(instance = "a11y")
class AccessibilityBrowserTests {

    static final List<String> WCAG_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    static RedisServer redis;

    @BeforeAll
    static void data() {
        try (RedisPipe pipe = RedisPipe.to(redis)) {
            pipe.fill("RPUSH", "queue:events", 120_000, 1, i -> new String[] {"event-" + i});
            for (int i = 0; i < 200; i++) {
                pipe.command("SET", "session:" + i, "x".repeat(100), "EX", "3600");
                pipe.command("HSET", "user:" + i + ":profile", "name", "n" + i);
            }
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Autowired
    ScanService scans;

    @Autowired
    IncidentService incidents;

    @Autowired
    IncidentCapture capture;

    @Autowired
    io.memdoctor.snapshots.SnapshotRepository snapshots;

    @Test
    void everyPagePassesWcagAaInBothThemes() {
        sampler.sample(instances.get("a11y"));
        String first = Scans.finished(scans, "a11y", Duration.ofSeconds(60));
        redis.cli("RPUSH", "queue:events", "one-more");
        String second = Scans.finished(scans, "a11y", Duration.ofSeconds(60));
        sampler.sample(instances.get("a11y"));
        String incident = capture.capture("a11y", new CaptureRequest("Queue growing",
                "paged at 14:00", false, null)).id();
        incidents.addNote(incident, null, "UTC", "ana", "consumer restarted");

        String base = "http://127.0.0.1:" + port;
        List<String> pages = List.of("/", "/instances/a11y", "/instances/a11y/scans", "/scans/" + second,
                "/scans/compare?base=" + first + "&other=" + second, "/incidents", "/incidents/" + incident,
                "/alerts", "/instances/no-such-instance");
        List<String> violations = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        try (Browser browser = Browser.start()) {
            for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
                for (String path : pages) {
                    Page page = browser.open(base + path, 1280, 900, scheme);
                    settle(page, path);
                    var results = new AxeBuilder(page).withTags(WCAG_AA).analyze();
                    // proof that axe ran and looked at text: the contrast rule passed on some nodes
                    assertThat(results.getPasses()).as("rules passed on " + path)
                            .anyMatch(rule -> rule.getId().equals("color-contrast") && !rule.getNodes().isEmpty());
                    checked.add(scheme + " " + path + ": " + results.getPasses().size() + " rules passed");
                    for (Rule rule : results.getViolations()) {
                        rule.getNodes().forEach(node -> violations.add(scheme + " " + path + ": " + rule.getId()
                                + " (" + rule.getImpact() + ") at " + node.getTarget() + ": " + node.getFailureSummary()));
                    }
                    page.context().close();
                }
            }
        }
        System.out.println(String.join("\n", checked));
        assertThat(violations).as("WCAG 2.1 AA violations").isEmpty();
    }

    /** Keyboard only: skip link, range switch, the scan form, from the first Tab. */
    @Test
    void theMainActionsWorkFromTheKeyboard() {
        sampler.sample(instances.get("a11y"));
        try (Browser browser = Browser.start()) {
            Page page = browser.open("http://127.0.0.1:" + port + "/instances/a11y", 1280, 900);
            settle(page, "/instances/a11y");
            page.keyboard().press("Tab");
            assertThat(page.evaluate("() => document.activeElement.textContent.trim()")).isEqualTo("Skip to content");
            page.keyboard().press("Enter");

            // tab until the 24h range link, then press Enter: the range switches without a mouse
            focus(page, "#charts .ranges a[data-range='24h']");
            page.keyboard().press("Enter");
            page.waitForFunction("() => document.querySelector(\"#charts .ranges a[data-range='24h']\")"
                    + ".getAttribute('aria-current') === 'true'");

            focus(page, "a[href$='/instances/a11y/scans']");
            page.keyboard().press("Enter");
            page.waitForURL("**/instances/a11y/scans");
            focus(page, "#launch-form button[type=submit]");
            page.keyboard().press("Enter");
            page.waitForURL("**/scans/*");
            Browser.screenshot(page, "keyboard-scan-launched");
            assertThat(browser.problems()).isEmpty();
        }
    }

    /** A history of one sample is too short for a line: it is drawn as a dot, not as an empty chart. */
    @Test
    void aSingleSampleShowsAsADot() {
        // scheduled sampling is off in tests: the one sample is the one an added instance gets at once
        instances.add("one sample", redis.url());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> snapshots.latest(instances.get("one-sample").id()).isPresent());
        try (Browser browser = Browser.start()) {
            Page page = browser.open("http://127.0.0.1:" + port + "/instances/one-sample", 1280, 900);
            page.waitForFunction("() => window.Chart && Chart.getChart('memory-chart')"
                    + " && Chart.getChart('memory-chart').data.datasets[0].data.some(p => p.y != null)");
            assertThat(page.evaluate("() => Chart.getChart('memory-chart').data.datasets[0].data.length")).isEqualTo(1);
            assertThat(page.evaluate("() => Chart.getChart('memory-chart').data.datasets[0].pointRadius")).isEqualTo(3);
            assertThat(page.textContent("#charts-status")).startsWith("1 sample in range");
            Browser.screenshot(page, "instance-one-sample");
            assertThat(browser.problems()).isEmpty();
        }
        finally {
            instances.remove("one-sample");
        }
    }

    /** Presses Tab until the element matching the selector has the focus (at most 60 times). */
    private static void focus(Page page, String selector) {
        for (int i = 0; i < 60; i++) {
            if (Boolean.TRUE.equals(page.evaluate("s => document.activeElement === document.querySelector(s)",
                    selector))) {
                return;
            }
            page.keyboard().press("Tab");
        }
        throw new AssertionError("Tab never reached " + selector);
    }

    /** Waits for what fills in after the HTML: charts and panels on the instance page, charts on results. */
    private static void settle(Page page, String path) {
        if (path.equals("/instances/a11y")) {
            page.waitForSelector("#checks .check");
            page.waitForSelector("#diagnosis .verdict");
        }
        else if (path.startsWith("/incidents/")) {
            page.waitForFunction("() => window.Chart && Chart.getChart(document.querySelector('canvas'))");
        }
        else if (path.startsWith("/scans/") && !path.contains("compare")) {
            page.waitForFunction("() => window.Chart && Chart.getChart(document.getElementById('type-chart'))");
        }
        page.waitForLoadState();
    }
}
