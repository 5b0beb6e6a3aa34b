package io.memdoctor.overview;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.MemoryLimits;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.support.Browser;
import io.memdoctor.support.BrowserTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overview in a real browser: real numbers on the cards, a downed instance turns red without a reload (the
 * cards' own refresh shows the sample the test takes; scheduled sampling is {@code SamplingTests}' subject).
 */
@BrowserTest
@PrivateRedis(instance = "orders cache", args = {"--enable-debug-command", "yes"})
class OverviewBrowserTests {

    static RedisServer redis;
    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    int port;

    @Autowired
    InstanceService instances;

    @Autowired
    MemoryLimits limits;

    @Autowired
    Sampler sampler;

    @Test
    void cardsShowRealNumbersAndADownInstanceTurnsRedWithoutAReload() {
        redis.cli("DEBUG", "POPULATE", "50000", "order", "200");
        sampler.sample(instances.get("orders-cache"));
        Page page = browser.open("http://127.0.0.1:" + port + "/", 1280, 800);
        Locator card = page.locator("article[data-instance='orders-cache']");
        assertThat(card.locator(".badge")).hasText("Up", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        assertThat(card).containsText("50,000", new LocatorAssertions.ContainsTextOptions().setTimeout(10_000));
        assertThat(card.locator("meter")).hasCount(1);
        assertThat(card.locator(".figures dd").first()).hasText(java.util.regex.Pattern.compile("\\d+(\\.\\d)? (KB|MB)"));
        Browser.screenshot(page, "overview");

        redis.kill();
        try {
            sampler.sample(instances.get("orders-cache"));
            assertThat(card.locator(".badge")).hasText("Unreachable",
                    new LocatorAssertions.HasTextOptions().setTimeout(15_000));
            assertThat(card).hasClass(java.util.regex.Pattern.compile("card-unreachable"));
            assertThat(card).containsText("Down since");
            Browser.screenshot(page, "overview-down");
        }
        finally {
            redis.restart();
        }
        // the first sample after the restart may still meet the old connection's end
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> sampler.sample(
                instances.get("orders-cache")).status() == io.memdoctor.snapshots.SnapshotStatus.OK);
        assertThat(card.locator(".badge")).hasText("Up", new LocatorAssertions.HasTextOptions().setTimeout(15_000));
        assertThat(browser.problems()).isEmpty();
    }

    @Test
    void aDeclaredMemoryLimitIsWhatTheCardMeasuresAgainst() {
        redis.cli("DEBUG", "POPULATE", "50000", "order", "200");
        long used = sampler.sample(instances.get("orders-cache")).getLong(io.memdoctor.snapshots.Metric.USED_MEMORY);
        limits.declare("orders-cache", 2 * used);
        try {
            sampler.sample(instances.get("orders-cache"));
            Page page = browser.open("http://127.0.0.1:" + port + "/", 1280, 800);
            Locator card = page.locator("article[data-instance='orders-cache']");
            assertThat(card.locator(".ceiling")).containsText("memory limit (declared)",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(10_000));
            assertThat(card.locator("meter")).hasAttribute("max", Long.toString(2 * used));
            double shown = Double.parseDouble(card.locator("meter").getAttribute("value")) / (2 * used);
            assertThat(shown).isBetween(0.45, 0.55);
            Browser.screenshot(page, "overview-memory-limit");
            // the instance page's memory chart draws it beside used memory
            Page instance = browser.open("http://127.0.0.1:" + port + "/instances/orders-cache", 1280, 900);
            instance.waitForFunction("() => window.Chart && Chart.getChart('memory-chart')"
                    + " && Chart.getChart('memory-chart').data.datasets.some(d => d.label === 'memory limit (declared)')");
            java.util.List<?> drawn = (java.util.List<?>) instance.evaluate("() => Chart.getChart('memory-chart')"
                    + ".data.datasets.find(d => d.label === 'memory limit (declared)').data.map(p => p.y)");
            assertThat(drawn).hasSize(2).allSatisfy(y -> assertThat(((Number) y).longValue()).isEqualTo(2 * used));
            assertThat(instance.locator("#charts figcaption").first()).containsText("memory limit declared");
            Browser.screenshot(instance, "instance-memory-limit");
            assertThat(browser.problems()).isEmpty();
        }
        finally {
            limits.declare("orders-cache", null);
        }
    }

    @Test
    void readableOnAPhoneAndFollowsADarkSystemTheme() {
        Page phone = browser.open("http://127.0.0.1:" + port + "/", 390, 844,
                com.microsoft.playwright.options.ColorScheme.DARK);
        assertThat(phone.locator("article.card").first()).isVisible();
        Object overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
        assertThat(((Number) overflow).intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        String background = (String) phone.evaluate("() => getComputedStyle(document.body).backgroundColor");
        assertThat(background).isEqualTo("rgb(13, 17, 23)");
        Browser.screenshot(phone, "overview-phone-dark");

        Page instance = browser.open("http://127.0.0.1:" + port + "/instances/orders-cache", 390, 844,
                com.microsoft.playwright.options.ColorScheme.DARK);
        instance.waitForFunction("() => Chart.getChart('memory-chart') !== undefined");
        Object instanceOverflow = instance.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
        assertThat(((Number) instanceOverflow).intValue()).isLessThanOrEqualTo(0);
        Browser.screenshot(instance, "instance-phone-dark");
        assertThat(browser.problems()).isEmpty();
    }

    @Test
    void aBadUrlInTheAddFormIsExplainedInTheForm() {
        Page page = browser.open("http://127.0.0.1:" + port + "/", 1280, 800);
        page.getByLabel("Name").fill("sessions");
        page.getByLabel("Redis URL").fill("http://sessions:6379");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Add instance")).click();
        Locator error = page.locator("#add-error");
        assertThat(error).hasText("URL must start with redis:// or rediss:// (TLS)");
        assertThat(page.getByLabel("Name")).hasValue("sessions");
        Browser.screenshot(page, "overview-add-error");
        assertThat(browser.problems()).isEmpty();
        assertThat(browser.dialogs()).isEmpty();
    }
}
