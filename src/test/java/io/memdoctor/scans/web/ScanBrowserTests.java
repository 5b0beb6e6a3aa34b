package io.memdoctor.scans.web;

import com.microsoft.playwright.Page;
import io.memdoctor.support.Browser;
import io.memdoctor.support.BrowserTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan pages in a real (headless) Chromium: the launch form, a progress bar that moves by htmx polling, the
 * reload into results, charts drawn from the API, sortable tables, and hostile key names shown as text.
 * Screenshots land in target/screenshots; no page may log an error, fail a request or open an unexpected dialog.
 */
@BrowserTest
@PrivateRedis(instance = "browser")
class ScanBrowserTests {

    private static RedisServer server;

    @BeforeAll
    static void data() {
        ScanDataset.load(server);
    }

    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    private int port;

    @Test
    void launchFollowTheProgressBarThenReadTheResults() {
        Page page = browser.open("http://127.0.0.1:" + port + "/instances/browser", 1300, 900);
        page.click("text=Keyspace scans");
        page.waitForURL("**/instances/browser/scans");
        page.fill("#scan-rate", "2500");
        page.click("#launch-form button[type=submit]");
        page.waitForURL("**/scans/*");

        page.waitForSelector("#scan-progress progress");
        double first = progressValue(page);
        page.waitForFunction("v => Number(document.querySelector('#scan-progress progress').value) > v", first);
        assertThat(progressValue(page)).isGreaterThan(first);
        Browser.screenshot(page, "scan-progress");

        // once the scan ends, the poll's answer reloads the page with the results
        page.waitForSelector("#top-keys", new Page.WaitForSelectorOptions().setTimeout(30_000));
        page.waitForFunction("() => ['pattern-chart', 'type-chart', 'ttl-chart']"
                + ".every(id => window.Chart && Chart.getChart(document.getElementById(id)))");
        assertThat(page.textContent("#top-keys tbody tr:first-child td.key")).isEqualTo("zset:big");
        page.locator(".scan-charts").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(java.nio.file.Paths.get("target", "screenshots", "scan-charts.png")));

        // hostile names are text, never markup
        assertThat(page.locator("#patterns code", new Page.LocatorOptions().setHasText("<img src=x onerror=alert(1)>"))
                .count()).isEqualTo(1);
        assertThat(page.evaluate("document.querySelectorAll('img[src=\"x\"]').length")).isEqualTo(0);

        // sortable: the Elements heading orders rows by element count, biggest first
        page.click("#top-keys th:nth-child(4) button");
        assertThat(page.textContent("#top-keys tbody tr:first-child td.key")).isEqualTo("blob:huge");
        page.click("#top-keys th:nth-child(4) button");
        assertThat(page.getAttribute("#top-keys th:nth-child(4)", "aria-sort")).isEqualTo("ascending");
        Browser.screenshot(page, "scan-results");

        assertThat(browser.problems()).isEmpty();
        assertThat(browser.dialogs()).isEmpty();
    }

    @Test
    void cancelFromThePageKeepsWhatWasFound() {
        // the Cancel button asks for confirmation
        browser.acceptConfirmations(true);
        Page page = browser.open("http://127.0.0.1:" + port + "/instances/browser/scans", 1280, 900);
        page.fill("#scan-rate", "300");
        page.click("#launch-form button[type=submit]");
        page.waitForURL("**/scans/*");
        page.waitForFunction("() => Number(document.querySelector('#scan-progress progress').value) > 0");
        page.click("#scan-progress button.danger");

        page.waitForSelector("#top-keys", new Page.WaitForSelectorOptions().setTimeout(15_000));
        assertThat(page.textContent(".summary-status .badge")).isEqualTo("Cancelled");
        Browser.screenshot(page, "scan-cancelled");
        browser.acceptConfirmations(false);
    }

    @Test
    void theHistoryComparesTwoScans() {
        String scans = "http://127.0.0.1:" + port + "/instances/browser/scans";
        Page page = browser.open(scans, 1300, 900);
        for (int i = 0; i < 2; i++) {
            page.navigate(scans);
            page.click("#launch-form button[type=submit]");
            page.waitForURL("**/scans/*");
            page.waitForSelector("#top-keys", new Page.WaitForSelectorOptions().setTimeout(30_000));
            server.cli("RPUSH", "queue:events", "more-" + i);
        }
        page.navigate(scans);
        assertThat(page.locator("#history tbody tr").count()).isGreaterThanOrEqualTo(2);
        Browser.screenshot(page, "scan-history");

        page.click(".compare-form button[type=submit]");
        page.waitForURL("**/scans/compare?**");
        assertThat(page.textContent("h1")).isEqualTo("What changed between two scans");
        assertThat(page.locator("tr.trend-grew").count()).isPositive();
        Browser.screenshot(page, "scan-compare");
    }

    private static double progressValue(Page page) {
        return ((Number) page.evaluate("Number(document.querySelector('#scan-progress progress').value)"))
                .doubleValue();
    }
}
