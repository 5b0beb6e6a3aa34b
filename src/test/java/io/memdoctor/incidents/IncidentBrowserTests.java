package io.memdoctor.incidents;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import io.memdoctor.support.Browser;
import io.memdoctor.support.DashboardProcess;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.SampledBrowserTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The on-call flow in a real browser: capture from the instance page, add two notes, download all four formats,
 * import the JSON as a colleague would, and open the HTML export with the network off: its charts are there.
 */
@SampledBrowserTest
@PrivateRedis(instance = "feed store", args = {"--enable-debug-command", "yes"})
class IncidentBrowserTests {

    static RedisServer redis;
    static final Path DOWNLOADS = Paths.get("target", "downloads");
    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void captureAnnotateDownloadImportAndOpenTheExportOffline() throws Exception {
        for (int i = 1; i <= 5; i++) {
            redis.cli("DEBUG", "POPULATE", Integer.toString(i * 3_000), "feed", "3000");
            Thread.sleep(500);
        }
        // 400 items of 200 bytes, no TTL: big enough (over 64 KB) for the page to suggest an expiry
        String[] push = new String[402];
        push[0] = "RPUSH";
        push[1] = "user:1001:feed";
        java.util.Arrays.fill(push, 2, push.length, "x".repeat(200));
        redis.cli(push);
        String base = "http://127.0.0.1:" + port;

        Page page = browser.open(base + "/instances/feed-store", 1280, 1000);
        page.locator("#capture summary").click();
        page.locator("#incident-title").fill("Memory climbing on feed store");
        page.locator("#incident-note").fill("paged: used_memory up 4x in a minute");
        page.locator("#capture input[name=scan]").check();
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots",
                "incident-capture-form.png")));
        page.locator("#capture button[type=submit]").click();
        page.waitForURL("**/incidents/*");
        String id = page.url().substring(page.url().lastIndexOf('/') + 1);
        waitForChart(page, 1);

        // note 1 at a time typed as on a clock (the middle of the captured history), note 2 now
        JsonNode incident = get(base + "/api/incidents/" + id);
        long first = java.time.Instant.parse(incident.at("/capture/samples/0/timestamp").asString()).toEpochMilli();
        long captured = java.time.Instant.parse(incident.get("capturedAt").asString()).toEpochMilli();
        String clock = (String) page.evaluate("ms => new Date(ms).toTimeString().slice(0, 8)",
                (double) ((first + captured) / 2));
        page.locator("#note-at").fill(clock);
        page.locator("#note-text").fill("deploy 4.2 rolled out");
        page.locator("#note-author").fill("ana");
        page.locator("#note-form button[type=submit]").click();
        page.waitForFunction("() => document.querySelectorAll('#timeline .note').length === 1");
        page.locator("#note-text").fill("AOF rewrite started");
        page.locator("#note-form button[type=submit]").click();
        page.waitForFunction("() => document.querySelectorAll('#timeline .note').length === 2");
        waitForChart(page, 3);
        assertThat(page.locator("#timeline .note").first().textContent()).contains("deploy 4.2 rolled out")
                .contains("ana");
        assertThat(get(base + "/api/incidents/" + id).at("/notes/0/at").asString())
                .isEqualTo(java.time.Instant.ofEpochMilli((first + captured) / 2 / 1000 * 1000).toString());

        // the scan is attached once it ends: the top keys panel polls until it shows them
        page.waitForSelector("#top-keys table", new Page.WaitForSelectorOptions().setTimeout(20_000));
        assertThat(get(base + "/api/incidents/" + id).at("/capture/scan/status").asString()).isEqualTo("DONE");
        assertThat(page.locator("#top-keys").getAttribute("hx-get")).isNull();
        assertThat(page.locator("#top-keys table").first().textContent()).contains("user:1001:feed");
        // each big key comes with its fix, as on the scan page, aimed at this instance
        String feedRow = page.locator("#scan-keys tr", new Page.LocatorOptions().setHasText("user:1001:feed"))
                .textContent();
        assertThat(feedRow).contains("No expiry").contains("EXPIRE 'user:1001:feed' 86400")
                .contains("-p " + redis.port());
        Browser.screenshot(page, "incident");

        Files.createDirectories(DOWNLOADS);
        Map<String, Path> files = new HashMap<>();
        for (String format : List.of("json", "md", "csv", "html")) {
            Download download = page.waitForDownload(() -> page.locator(".downloads a[data-format=" + format + "]")
                    .click());
            assertThat(download.failure()).isNull();
            assertThat(download.suggestedFilename()).startsWith("incident-feed-store-").endsWith("." + format);
            Path file = DOWNLOADS.resolve("incident." + format);
            download.saveAs(file);
            files.put(format, file);
            assertThat(Files.size(file)).as(format).isPositive();
        }
        assertThat(Files.readString(files.get("md"))).contains("deploy 4.2 rolled out").contains("## Diagnosis");
        assertThat(Files.readString(files.get("csv")).lines().findFirst().orElseThrow()).contains("used_memory");

        // a colleague imports the JSON into their own dashboard (another process, another database) from its page
        Path theirData = Files.createTempDirectory("memdoctor-colleague");
        try (DashboardProcess theirs = DashboardProcess.start(theirData.resolve("dashboard.log"),
                "--memdoctor.data-dir=" + theirData, "--memdoctor.sampling.enabled=false",
                "--memdoctor.instances[0].name=their cache", "--memdoctor.instances[0].url=" + redis.url())) {
            Page colleague = browser.open(theirs.url("/incidents"), 1280, 1000);
            assertThat(colleague.locator(".empty").first().textContent()).contains("No incident yet");
            colleague.locator("#import-file").setInputFiles(files.get("json"));
            colleague.locator("#import-form button[type=submit]").click();
            colleague.waitForURL("**/incidents/*-*");
            waitForChart(colleague, 3);
            assertThat(colleague.locator("h1").textContent()).isEqualTo("Memory climbing on feed store");
            assertThat(colleague.locator("#timeline .note").count()).isEqualTo(2);
            assertThat(colleague.locator("#timeline .note").first().textContent()).contains("deploy 4.2 rolled out");
            assertThat(colleague.locator(".pill").first().textContent()).contains("imported");
            assertThat(colleague.locator("#note-form").count()).isZero();
            assertThat(colleague.locator("#top-keys table").first().textContent()).contains("user:1001:feed");
            assertThat(colleague.locator("#diagnosis-title").count()).isOne();
            assertThat(colleague.locator(".diagnosis .verdict").textContent())
                    .isEqualTo(page.locator(".diagnosis .verdict").textContent());
            Browser.screenshot(colleague, "incident-imported");

            // having read it, they delete their copy from its page: after the confirmation, back to an empty list
            browser.acceptConfirmations(true);
            try {
                colleague.locator("#delete-incident").click();
                colleague.waitForURL("**/incidents");
            }
            finally {
                browser.acceptConfirmations(false);
            }
            assertThat(colleague.locator(".empty").first().textContent()).contains("No incident yet");
        }

        // the HTML export, with the network off: charts drawn, markers there, nothing fetched
        Page offline = browser.open("about:blank", 1100, 900);
        offline.context().setOffline(true);
        offline.navigate(files.get("html").toAbsolutePath().toUri().toString());
        int points = ((Number) offline.evaluate("() => Math.max(...[...document.querySelectorAll('svg.chart polyline')]"
                + ".map(p => p.getAttribute('points').trim().split(/\\s+/).length))")).intValue();
        assertThat(points).isGreaterThan(1);
        assertThat(offline.locator("svg.chart").count()).isEqualTo(2);
        assertThat(offline.locator("svg.chart").first().locator(".marker").count()).isEqualTo(3);
        assertThat(offline.locator("h1").textContent()).isEqualTo("Memory climbing on feed store");
        Browser.screenshot(offline, "incident-export");

        Page phone = browser.open(base + "/incidents/" + id, 390, 844);
        waitForChart(phone, 3);
        assertThat((Boolean) phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"))
                .as("no horizontal scrolling at phone width").isTrue();
        Browser.screenshot(phone, "incident-phone");
        phone.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "incident-phone-top.png")));
        phone.locator("#incident-charts").scrollIntoViewIfNeeded();
        phone.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots",
                "incident-phone-charts.png")));
        Page dark = browser.open(base + "/incidents/" + id, 1280, 1000, ColorScheme.DARK);
        waitForChart(dark, 3);
        Browser.screenshot(dark, "incident-dark");
        Page list = browser.open(base + "/incidents", 1280, 700);
        assertThat(list.locator("table.incidents tbody tr").count()).isEqualTo(1);
        Browser.screenshot(list, "incidents");

        assertThat(browser.problems()).isEmpty();
        assertThat(browser.dialogs()).isEmpty();
    }

    /** Waits until the memory chart has data and the given number of markers (capture + notes). */
    private static void waitForChart(Page page, int markers) {
        page.waitForFunction("n => { const c = typeof Chart !== 'undefined' && Chart.getChart('memory-chart');"
                + " return c && c.data.datasets[0].data.some(p => p.y != null)"
                + " && c.options.plugins.incidentMarkers.list.length === n; }", markers);
    }

    private JsonNode get(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return json.readTree(response.body());
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
