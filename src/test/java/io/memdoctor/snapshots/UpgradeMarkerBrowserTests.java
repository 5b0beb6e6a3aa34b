package io.memdoctor.snapshots;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.support.Browser;
import io.memdoctor.support.BrowserTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that changed version inside the range is marked on the charts where it happened (Redis 7.4 counts the Lua
 * VM in used_memory: the step there is the upgrade, not growth), and named under them.
 */
@BrowserTest
class UpgradeMarkerBrowserTests {

    static final String NAME = "upgraded-cache";
    static final long MB = 1024 * 1024;

    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    int port;

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository snapshots;

    static InstanceService added;

    @AfterAll
    static void forget() {
        if (added != null) {
            added.remove(InstanceId.slugOf(NAME).value());
        }
    }

    @Test
    void theVersionChangeIsMarkedOnTheChartsAndNamed() {
        // a closed port: the add's own first sample fails; the history below is what the charts draw
        instances.add(NAME, "redis://127.0.0.1:9", List.of());
        added = instances;
        InstanceId id = InstanceId.slugOf(NAME);
        Instant start = Instant.now().minus(20, ChronoUnit.MINUTES);
        for (int i = 0; i < 20; i++) {
            Map<Metric, Object> values = new EnumMap<>(Metric.class);
            boolean after = i >= 10;
            values.put(Metric.REDIS_VERSION, after ? "7.4.1" : "7.2.6");
            values.put(Metric.USED_MEMORY, (after ? 240 : 200) * MB);
            values.put(Metric.USED_MEMORY_RSS, (after ? 260 : 215) * MB);
            values.put(Metric.USED_MEMORY_DATASET, (after ? 190 : 150) * MB);
            values.put(Metric.MEM_FRAGMENTATION_RATIO, 1.08);
            snapshots.save(Snapshot.ok(id, start.plus(i, ChronoUnit.MINUTES), values));
        }

        Page page = browser.open("http://127.0.0.1:" + port + "/instances/" + id.value(), 1300, 1000);
        page.waitForFunction("() => window.Chart && Chart.getChart('memory-chart')"
                + " && Chart.getChart('memory-chart').options.plugins.incidentMarkers.list.length > 0");
        assertThat(page.evaluate("() => Chart.getChart('memory-chart').options.plugins.incidentMarkers.list"
                + ".map(m => m.label + ' at ' + new Date(m.at).toISOString())")).isEqualTo(
                        List.of("Redis 7.2.6 → Redis 7.4.1 at " + start.plus(10, ChronoUnit.MINUTES)
                                .truncatedTo(ChronoUnit.MILLIS)));
        assertThat(page.textContent("#charts-status")).contains("Server changed: Redis 7.2.6 → Redis 7.4.1.");
        Browser.screenshot(page, "instance-upgrade-marker");
        assertThat(browser.problems()).isEmpty();
    }
}
