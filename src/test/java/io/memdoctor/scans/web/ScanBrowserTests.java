package io.memdoctor.scans.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scan pages in a real (headless) Chromium: the launch form, a progress bar that moves by htmx polling, the
 * reload into results, charts drawn from the API, sortable tables, and hostile key names shown as text.
 * Skipped where no Chromium is installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext
class ScanBrowserTests {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final RedisServer server = RedisServer.start();

    static {
        ScanDataset.load(server);
    }

    private static Playwright playwright;
    private static Browser browser;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void instance(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.instances[0].name", () -> "browser");
        registry.add("memdoctor.instances[0].url", server::url);
    }

    @BeforeAll
    static void launch() {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        server.close();
    }

    @Test
    void launchFollowTheProgressBarThenReadTheResults() {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1300, 900));
        List<String> errors = new ArrayList<>();
        page.onPageError(errors::add);
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                errors.add(message.text());
            }
        });

        page.navigate("http://127.0.0.1:" + port + "/instances/browser");
        page.click("text=Keyspace scans");
        page.waitForURL("**/instances/browser/scans");
        page.fill("#scan-rate", "2500");
        page.click("#launch-form button[type=submit]");
        page.waitForURL("**/scans/*");

        page.waitForSelector("#scan-progress progress");
        double first = progressValue(page);
        page.waitForFunction("v => Number(document.querySelector('#scan-progress progress').value) > v", first);
        assertThat(progressValue(page)).isGreaterThan(first);
        screenshot(page, "scan-progress.png");

        // once the scan ends, the poll's answer reloads the page with the results
        page.waitForSelector("#top-keys", new Page.WaitForSelectorOptions().setTimeout(30_000));
        page.waitForFunction("() => ['pattern-chart', 'type-chart', 'ttl-chart']"
                + ".every(id => window.Chart && Chart.getChart(document.getElementById(id)))");
        assertThat(page.textContent("#top-keys tbody tr:first-child td.key")).isEqualTo("zset:big");
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "scan-results-top.png")));
        page.locator(".scan-charts").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(Paths.get("target", "scan-charts.png")));

        // hostile names are text, never markup
        assertThat(page.locator("#patterns code", new Page.LocatorOptions().setHasText("<img src=x onerror=alert(1)>"))
                .count()).isEqualTo(1);
        assertThat(page.evaluate("document.querySelectorAll('img[src=\"x\"]').length")).isEqualTo(0);

        // sortable: the Elements heading orders rows by element count, biggest first
        page.click("#top-keys th:nth-child(4) button");
        assertThat(page.textContent("#top-keys tbody tr:first-child td.key")).isEqualTo("blob:huge");
        page.click("#top-keys th:nth-child(4) button");
        assertThat(page.getAttribute("#top-keys th:nth-child(4)", "aria-sort")).isEqualTo("ascending");
        screenshot(page, "scan-results.png");

        assertThat(errors).isEmpty();
    }

    @Test
    void cancelFromThePageKeepsWhatWasFound() {
        Page page = browser.newPage();
        page.onDialog(dialog -> dialog.accept());
        page.navigate("http://127.0.0.1:" + port + "/instances/browser/scans");
        page.fill("#scan-rate", "300");
        page.click("#launch-form button[type=submit]");
        page.waitForURL("**/scans/*");
        page.waitForFunction("() => Number(document.querySelector('#scan-progress progress').value) > 0");
        page.click("#scan-progress button.danger");

        page.waitForSelector("#top-keys", new Page.WaitForSelectorOptions().setTimeout(15_000));
        assertThat(page.textContent(".summary-status .badge")).isEqualTo("Cancelled");
    }

    @Test
    void theHistoryComparesTwoScans() {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1300, 900));
        String scans = "http://127.0.0.1:" + port + "/instances/browser/scans";
        for (int i = 0; i < 2; i++) {
            page.navigate(scans);
            page.click("#launch-form button[type=submit]");
            page.waitForURL("**/scans/*");
            page.waitForSelector("#top-keys", new Page.WaitForSelectorOptions().setTimeout(30_000));
            server.cli("RPUSH", "queue:events", "more-" + i);
        }
        page.navigate(scans);
        assertThat(page.locator("#history tbody tr").count()).isGreaterThanOrEqualTo(2);
        screenshot(page, "scan-history.png");

        page.click(".compare-form button[type=submit]");
        page.waitForURL("**/scans/compare?**");
        assertThat(page.textContent("h1")).isEqualTo("What changed between two scans");
        assertThat(page.locator("tr.trend-grew").count()).isPositive();
        screenshot(page, "scan-compare.png");
    }

    private static double progressValue(Page page) {
        return ((Number) page.evaluate("Number(document.querySelector('#scan-progress progress').value)"))
                .doubleValue();
    }

    private static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", name)).setFullPage(true));
    }
}
