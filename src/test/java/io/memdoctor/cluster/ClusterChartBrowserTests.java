package io.memdoctor.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.microsoft.playwright.Page;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.Browser;
import io.memdoctor.support.BrowserTest;
import io.memdoctor.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failover is drawn on the cluster page's chart as the instance charts draw an incident's capture (the same
 * plugin): a solid line in the capture colour where it happened, labelled.
 */
@BrowserTest
class ClusterChartBrowserTests {

    @RegisterExtension
    static final Browser browser = Browser.perClass();

    static RedisCluster cluster;
    static InstanceService added;
    static String clusterId;

    @LocalServerPort
    int port;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stop() {
        if (added != null) {
            added.remove(clusterId);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFailoverIsALineOnTheShardsChart() {
        Instance watched = instances.add("chart cluster", cluster.url(0));
        added = instances;
        clusterId = watched.id().value();
        for (Instance node : instances.nodes(watched.id())) {
            sampler.sample(node);
        }
        Instant at = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        jdbc.update("INSERT INTO cluster_event (cluster_id, at_ms, kind, node, detail) VALUES (?, ?, 'FAILOVER', ?, ?)",
                clusterId, at.toEpochMilli(), "127.0.0.1:" + cluster.port(0), "a replica was promoted");

        Page page = browser.open("http://127.0.0.1:" + port + "/clusters/" + clusterId, 1300, 1000);
        page.waitForFunction("() => window.Chart && Chart.getChart('shards-chart')"
                + " && Chart.getChart('shards-chart').options.plugins.incidentMarkers.list.length > 0");
        assertThat(page.evaluate("() => Chart.getChart('shards-chart').options.plugins.incidentMarkers.list"
                + ".map(m => m.label + ' at ' + new Date(m.at).toISOString())"))
                .isEqualTo(List.of("failover at " + at));
        assertThat(page.textContent("#cluster-chart-status")).contains("1 failover(s) in this range");
        // the line is on the canvas: halfway down the plot, where no shard has samples yet, the pixels at the
        // failover's x are the capture colour (#bf3989, red well above green), not the white plot or a grey grid line
        Object redness = page.evaluate("""
                () => {
                  const chart = Chart.getChart('shards-chart');
                  const x = chart.scales.x.getPixelForValue(chart.options.plugins.incidentMarkers.list[0].at);
                  const y = (chart.chartArea.top + chart.chartArea.bottom) / 2;
                  const ratio = chart.currentDevicePixelRatio;
                  let most = -255;
                  for (let dx = -1; dx <= 1; dx++) {
                    const [r, g] = chart.ctx.getImageData(Math.round((x + dx) * ratio), Math.round(y * ratio), 1, 1).data;
                    most = Math.max(most, r - g);
                  }
                  return most;
                }""");
        assertThat(((Number) redness).intValue()).isGreaterThan(60);
        Browser.screenshot(page, "cluster-failover-marker");
        assertThat(browser.problems()).isEmpty();
    }
}
