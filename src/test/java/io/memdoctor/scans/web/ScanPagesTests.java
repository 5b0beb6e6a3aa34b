package io.memdoctor.scans.web;

import java.time.Duration;

import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The scan pages, with and without {@code HX-Request}, over a real scan of a real redis-server. */
@DashboardTest
@PrivateRedis(instance = "pages")
class ScanPagesTests {

    static RedisServer server;

    @BeforeAll
    static void load() {
        ScanDataset.load(server);
    }

    @Autowired
    private MockMvc mvc;

    @Autowired
    private ScanService scans;

    @Test
    void theInstancePageLinksToItsScans() throws Exception {
        mvc.perform(get("/instances/pages"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("href=\"/instances/pages/scans\"")))
                .andExpect(content().string(containsString("Keyspace scans")));
    }

    @Test
    void theScansPageHasTheLaunchFormAndTheHistory() throws Exception {
        ScanView done = finished(scans.start("pages", ScanParameters.defaults()));
        mvc.perform(get("/instances/pages/scans"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"launch-form\"")))
                .andExpect(content().string(containsString("name=\"maxKeysPerSecond\"")))
                .andExpect(content().string(containsString("/scans/" + done.id())));
        mvc.perform(get("/instances/pages/scans").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(header().string("Vary", containsString("HX-Request")))
                .andExpect(content().string(startsWith("<div id=\"history\"")))
                .andExpect(content().string(not(containsString("<html"))));
    }

    @Test
    void theLaunchFormStartsAScanAndFollowsIt() throws Exception {
        String location = mvc.perform(post("/instances/pages/scans").with(csrf()).header("HX-Request", "true")
                .param("match", "user:*").param("type", "").param("count", "500").param("samples", "5")
                .param("topN", "10").param("maxKeysPerSecond", "").param("delimiters", ": /"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Redirect", startsWith("/scans/")))
                .andReturn().getResponse().getHeader("HX-Redirect");
        ScanView scan = finished(scans.get(location.substring("/scans/".length())));

        assertThat(scan.parameters().match()).isEqualTo("user:*");
        assertThat(scan.parameters().delimiters()).containsExactly(":", "/");
        assertThat(scan.parameters().topN()).isEqualTo(10);

        mvc.perform(post("/instances/pages/scans").with(csrf()).param("match", "*"))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrlPattern("/scans/*"));
        finished(scans.running("pages").orElse(null));
    }

    @Test
    void aBadFormValueComesBackWithItsMessageAndWhatWasTyped() throws Exception {
        mvc.perform(post("/instances/pages/scans").with(csrf()).header("HX-Request", "true")
                .param("match", "orders:*").param("count", "lots"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("count must be a whole number")))
                .andExpect(content().string(containsString("value=\"orders:*\"")));
        mvc.perform(post("/instances/pages/scans").with(csrf()).header("HX-Request", "true").param("samples", "-3"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("samples must be between 0")));
    }

    @Test
    void aRunningScanShowsAProgressBarThatPollsItselfThenReloads() throws Exception {
        ScanView scan = scans.start("pages", ScanParameters.of(null, null, null, null, null, 500, null));
        try {
            mvc.perform(get("/scans/" + scan.id()))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("<progress")))
                    .andExpect(content().string(containsString("hx-trigger=\"every 1s\"")))
                    .andExpect(content().string(containsString("hx-delete=\"/api/scans/" + scan.id() + "\"")));
            mvc.perform(get("/scans/" + scan.id()).header("HX-Request", "true"))
                    .andExpect(status().isOk())
                    .andExpect(header().doesNotExist("HX-Refresh"))
                    .andExpect(content().string(startsWith("<section id=\"scan-progress\"")));
        }
        finally {
            scans.cancel(scan.id());
        }
        mvc.perform(get("/scans/" + scan.id()).header("HX-Request", "true"))
                .andExpect(header().string("HX-Refresh", "true"));
    }

    @Test
    void resultsAreTablesChartsAndFixesWithKeyNamesEscaped() throws Exception {
        ScanView scan = finished(scans.start("pages", ScanParameters.of(null, null, null, null, 10_000, null, null)));
        String html = mvc.perform(get("/scans/" + scan.id()))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();

        assertThat(html).contains("id=\"top-keys\"", "id=\"patterns\"", "id=\"by-type\"", "id=\"pattern-chart\"",
                "id=\"type-chart\"", "id=\"ttl-chart\"", "/js/scans.js", "data-scan=\"" + scan.id() + "\"");
        assertThat(html).doesNotContain("<img src=x onerror=alert(1)>")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(html).contains(ScanDataset.BINARY_KEY_ESCAPED);
        assertThat(html).contains("LTRIM &#39;queue:events&#39; 0 999", "HSCAN", "ZSCAN", "EXPIRE &#39;blob:huge&#39; 86400");
        assertThat(html).doesNotContain("<script>");
    }

    @Test
    void theComparePageShowsWhatGrew() throws Exception {
        ScanView before = finished(scans.start("pages", ScanParameters.defaults()));
        server.cli("RPUSH", "queue:events", "one-more", "and-another");
        ScanView after = finished(scans.start("pages", ScanParameters.defaults()));
        server.cli("RPOP", "queue:events", "2");

        mvc.perform(get("/scans/compare").param("base", before.id()).param("other", after.id()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("What changed between two scans")))
                .andExpect(content().string(containsString("trend-grew")));
        mvc.perform(get("/scans/compare").param("base", "nope").param("other", after.id()))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("No scan")));
    }

    @Test
    void unknownScansAndInstancesGetAReadableErrorPage() throws Exception {
        mvc.perform(get("/scans/00000000-0000-0000-0000-000000000000"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("No scan")));
        mvc.perform(get("/instances/nope/scans"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("No instance with id")));
    }

    private ScanView finished(ScanView scan) throws InterruptedException {
        if (scan == null) {
            return null;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ScanView current = scans.get(scan.id());
        while (current.running() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            current = scans.get(scan.id());
        }
        return current;
    }
}
