package io.memdoctor.snapshots;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.support.Browser;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.SampledBrowserTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The instance page in a real browser: charts drawn with data, range switching, an outage as a gap. */
@SampledBrowserTest
@PrivateRedis(instance = "chart store", args = {"--enable-debug-command", "yes"})
class InstancePageBrowserTests {

    static RedisServer redis;
    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    int port;

    @Autowired
    SnapshotRepository repository;

    @Test
    void chartsHaveDataSwitchRangesAndShowOutagesAsGaps() throws Exception {
        InstanceId id = InstanceId.of("chart-store");
        // grow, pause for an outage, grow again, with a BGSAVE in between
        for (int i = 1; i <= 4; i++) {
            redis.cli("DEBUG", "POPULATE", Integer.toString(i * 20_000), "feed", "300");
            Thread.sleep(400);
        }
        redis.cli("CONFIG", "SET", "save", "");
        redis.cli("BGSAVE");
        Thread.sleep(600);
        redis.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> repository.latest(id).map(s -> !s.isOk()).orElse(false));
        Thread.sleep(1500);
        redis.restart();
        for (int i = 1; i <= 3; i++) {
            redis.cli("DEBUG", "POPULATE", Integer.toString(i * 30_000), "feed", "300");
            Thread.sleep(400);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> repository.latest(id).map(Snapshot::isOk).orElse(false));

        Page page = browser.open("http://127.0.0.1:" + port + "/instances/chart-store", 1280, 1400);
        page.waitForFunction("() => { const c = Chart.getChart('memory-chart'); "
                + "return c && c.data.datasets[0].data.some(p => p.y != null); }");

        Map<String, Object> memory = datasets(page, "memory-chart");
        assertThat(memory.get("labels")).asList().contains("used_memory", "used_memory_rss", "used_memory_dataset");
        assertThat(((Number) memory.get("points")).intValue()).isGreaterThan(10);
        // the outage is a null point inside the series, so the line breaks there
        assertThat(((Number) memory.get("nulls")).intValue()).isPositive();
        assertThat(((Number) memory.get("maxUsed")).longValue()).isGreaterThan(20_000_000L);
        Map<String, Object> breakdown = datasets(page, "breakdown-chart");
        assertThat(breakdown.get("labels")).asList().startsWith("dataset", "client buffers")
                .contains("startup", "keys' tables & other");
        // the stacked bands add up to used_memory at every sample: dataset + the overhead's parts + the rest
        assertThat(page.evaluate("() => { const used = Chart.getChart('memory-chart').data.datasets[0].data;"
                + " const bands = Chart.getChart('breakdown-chart').data.datasets; let worst = 0, compared = 0;"
                + " used.forEach((p, i) => { if (p.y == null) { return; }"
                + "   const sum = bands.reduce((t, b) => t + (b.data[i].y || 0), 0);"
                + "   worst = Math.max(worst, Math.abs(sum - p.y)); compared++; });"
                + " return compared > 10 && worst === 0; }")).isEqualTo(true);
        Map<String, Object> fragmentation = datasets(page, "fragmentation-chart");
        assertThat(((Number) fragmentation.get("points")).intValue()).isGreaterThan(10);
        assertThat(page.locator("#charts-status").textContent()).contains("samples in range")
                .contains("did not answer");
        Browser.screenshot(page, "instance");

        // switching the range redraws without a reload
        page.evaluate("() => { window.__marker = 1; window.__chart = Chart.getChart('memory-chart').id; }");
        page.locator(".ranges a[data-range='24h']").click();
        page.waitForFunction("() => new URL(location.href).searchParams.get('range') === '24h'");
        page.waitForFunction("() => Chart.getChart('memory-chart').id !== window.__chart");
        assertThat(page.locator(".ranges a.active").textContent()).isEqualTo("24h");
        // a history younger than the range starts the axis at its first sample, and says so
        assertThat(page.locator("#charts-status").textContent()).contains("History starts at the first sample");
        assertThat(page.evaluate("() => window.__marker")).isEqualTo(1);
        assertThat(((Number) datasets(page, "memory-chart").get("points")).intValue()).isGreaterThan(10);
        Browser.screenshot(page, "instance-24h");

        assertThat(browser.problems()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> datasets(Page page, String canvas) {
        return (Map<String, Object>) page.evaluate("id => { const c = Chart.getChart(id); const d = c.data.datasets;"
                + " const used = d[0].data.filter(p => p.y != null).map(p => p.y);"
                + " return { labels: d.map(s => s.label), points: d[0].data.filter(p => p.y != null).length,"
                + " nulls: d[0].data.filter(p => p.y == null).length, maxUsed: used.length ? Math.max(...used) : 0 }; }",
                canvas);
    }

}
