package io.memdoctor.diagnosis;

import java.time.Duration;

import com.microsoft.playwright.Page;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.Browser;
import io.memdoctor.support.BrowserTest;
import io.memdoctor.support.PrivateRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance page's diagnosis and checks panels in a real browser, against a sampled private redis-server: they
 * load, colour their findings, and the diagnosis follows the chart range.
 */
@BrowserTest
@PrivateRedis(instance = "panels")
class PanelsBrowserTests {

    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    int port;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Test
    void panelsLoadAndTheDiagnosisFollowsTheRange() throws Exception {
        // three seconds of history, as sampling every 300 ms would have stored
        for (int i = 0; i < 10; i++) {
            sampler.sample(instances.get("panels"));
            Thread.sleep(Duration.ofMillis(300).toMillis());
        }
        Page page = browser.open("http://127.0.0.1:" + port + "/instances/panels", 1280, 1600);
        page.waitForSelector("#checks .check-list");
        page.waitForSelector("#diagnosis .verdict");
        assertThat(page.locator("#checks [data-check='maxmemory-unset'] .sev").textContent()).isEqualTo("WARNING");
        assertThat(page.locator("#checks [data-check='maxmemory-unset'] pre code").textContent())
                .contains("CONFIG SET maxmemory");
        assertThat(page.locator("#checks .check").count()).isEqualTo(16);
        assertThat(page.locator("#diagnosis .verdict").getAttribute("data-verdict")).isEqualTo("STABLE");
        assertThat(page.locator("#diagnosis").getAttribute("data-range")).isEqualTo("1h");
        // times in the evidence are in the viewer's zone, the UTC text on hover
        var evidenceTime = page.locator("#diagnosis .evidence-list time").first();
        assertThat(evidenceTime.getAttribute("datetime")).matches("\\d{4}-\\d{2}-\\d{2}T[\\d:]+Z");
        assertThat(evidenceTime.getAttribute("title")).endsWith(" UTC");
        assertThat(evidenceTime.textContent()).doesNotContain("UTC");

        page.locator(".ranges a[data-range='6h']").click();
        page.waitForFunction("() => document.getElementById('diagnosis').dataset.range === '6h'"
                + " && document.querySelector('#diagnosis .verdict') !== null"
                + " && document.querySelector('#diagnosis h2').textContent.includes('6h')");
        assertThat(page.locator("#diagnosis h2").textContent()).contains("last 6h");
        Browser.screenshot(page, "instance-panels");
        assertThat(browser.problems()).isEmpty();
    }
}
