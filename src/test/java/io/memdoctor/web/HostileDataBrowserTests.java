package io.memdoctor.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.microsoft.playwright.Page;
import io.memdoctor.incidents.CaptureRequest;
import io.memdoctor.incidents.IncidentCapture;
import io.memdoctor.incidents.IncidentService;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.scans.ScanService;
import io.memdoctor.instances.InstanceId;
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
 * Hostile data from Redis and from the configuration, on every page that shows it, in a real Chromium: key names
 * with markup, quotes, newlines, binary bytes and spreadsheet formulas, and an instance whose display name is a
 * script tag. Every page must show them as text: no element they describe appears, and no dialog ever fires.
 */
@BrowserTest
@PrivateRedis(instance = HostileDataBrowserTests.NAME)
class HostileDataBrowserTests {

    static final String IMG_KEY = "<img src=x onerror=alert(1)>";
    static final String FORMULA_KEY = "=HYPERLINK(\"x\")";
    static final String NAME = "<script>alert(3)</script> cache";

    static RedisServer redis;

    @BeforeAll
    static void fill() {
        try (RedisPipe pipe = RedisPipe.to(redis)) {
            // over 100,000 elements: a "big key", so the checks panel names it too
            pipe.fill("RPUSH", IMG_KEY, 120_000, 1, i -> new String[] {"item-" + i});
            pipe.command("SET", FORMULA_KEY, "formula");
            pipe.command("SET", "quote\"'\nnewline<b>bold</b>", "x");
            pipe.command("HSET", "user:<svg onload=alert(2)>:profile", "name", "x");
            pipe.raw("SET".getBytes(StandardCharsets.UTF_8), "bin:\u00ff".getBytes(StandardCharsets.ISO_8859_1),
                    "raw".getBytes(StandardCharsets.UTF_8));
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

    @Test
    void everyPageShowsHostileNamesAsText() {
        String id = InstanceId.slugOf(NAME).value();
        sampler.sample(instances.get(id));
        String first = Scans.finished(scans, id, Duration.ofSeconds(60));
        redis.cli("RPUSH", IMG_KEY, "one-more");
        String second = Scans.finished(scans, id, Duration.ofSeconds(60));
        sampler.sample(instances.get(id));
        String incident = capture.capture(id, new CaptureRequest("<b>outage</b> " + IMG_KEY,
                "paged by <svg onload=alert(6)>", true, null)).id();
        incidents.addNote(incident, null, "UTC", "<b>ana</b>", "deploy " + FORMULA_KEY + " " + IMG_KEY);
        await().atMost(Duration.ofSeconds(60)).until(() -> incidents.get(incident).capture().scan().results() != null);

        String base = "http://127.0.0.1:" + port;
        try (Browser browser = Browser.start()) {
            List<String> visited = new ArrayList<>();

            Page page = browser.open(base + "/", 1280, 900);
            page.waitForSelector(".card");
            assertInert(page, "overview", List.of(NAME));
            visited.add(page.url());

            page.navigate(base + "/instances/" + id);
            page.waitForSelector("#checks [data-check='big-keys']");
            assertInert(page, "instance", List.of(NAME, IMG_KEY, "MEMORY USAGE '" + IMG_KEY + "'"));

            page.navigate(base + "/instances/" + id + "/scans");
            page.waitForSelector("#history tbody tr");
            assertInert(page, "scan-history", List.of(NAME));

            page.navigate(base + "/scans/" + second);
            page.waitForSelector("#top-keys");
            // names are shown the way redis-cli shows them: quotes, newlines and other bytes escaped
            assertInert(page, "scan-results", List.of(IMG_KEY, "=HYPERLINK(\\\"x\\\")",
                    "user:<svg onload=alert(2)>:profile", "bin:\\xff", "quote\\\"'\\nnewline<b>bold</b>",
                    "EXPIRE '" + IMG_KEY + "' 86400"));

            page.navigate(base + "/scans/compare?base=" + first + "&other=" + second);
            page.waitForSelector("tr.trend-grew");
            assertInert(page, "scan-compare", List.of(IMG_KEY));

            page.navigate(base + "/incidents");
            page.waitForSelector("main");
            assertInert(page, "incidents", List.of("<b>outage</b> " + IMG_KEY));

            page.navigate(base + "/incidents/" + incident);
            page.waitForFunction("() => window.Chart && Chart.getChart(document.querySelector('canvas'))");
            assertInert(page, "incident", List.of("<b>outage</b> " + IMG_KEY, "paged by <svg onload=alert(6)>",
                    "<b>ana</b>", "deploy " + FORMULA_KEY + " " + IMG_KEY, NAME));

            assertThat(browser.problems()).isEmpty();

            // an unknown id that is itself markup: a readable 404 page that shows it as text
            page.navigate(base + "/instances/" + java.net.URLEncoder.encode(IMG_KEY, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            assertInert(page, "not-found", List.of("Unknown instance", IMG_KEY));

            assertThat(browser.dialogs()).as("dialogs that fired").isEmpty();
        }
    }

    /** Screenshots the page, then checks no hostile markup became an element and each text is there, as text. */
    private static void assertInert(Page page, String name, List<String> texts) {
        Browser.screenshot(page, "hostile-" + name);
        assertThat(page.evaluate("() => document.querySelectorAll('img[src=\"x\"], svg[onload], b, "
                + "script:not([src])').length")).as("elements made from hostile names on " + name).isEqualTo(0);
        String text = (String) page.evaluate("() => document.body.innerText");
        for (String expected : texts) {
            assertThat(text).as("text of " + name).contains(expected);
        }
    }
}
