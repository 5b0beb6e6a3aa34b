package io.memdoctor.security;

import java.util.List;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.memdoctor.support.Browser;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users configured, in Chromium: the login form, an operator adding an instance and starting and cancelling a scan
 * through htmx (so the CSRF header works), a viewer without the forms, and no CSP violation on any page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext // users configured (login mode) on a port of its own: a context only it uses
class SecurityBrowserTests {

    /** Records Content-Security-Policy violations; init scripts run outside the page's CSP. */
    static final String RECORD_VIOLATIONS = "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            + " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));";

    static final RedisServer redis = RedisServer.start();
    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        ScanDataset.load(redis);
        TestUsers.register(registry);
        registry.add("memdoctor.sampling.enabled", () -> "true");
        registry.add("memdoctor.sampling.interval", () -> "1s");
        registry.add("memdoctor.instances[0].name", () -> "watched");
        registry.add("memdoctor.instances[0].url", () -> "redis://127.0.0.1:1");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void anOperatorAddsAnInstanceAndScansItThroughThePages() {
        Page page = login("otto", "operator-pw");
        assertThat(page.locator(".whoami")).containsText("Signed in as otto");
        page.getByLabel("Name").fill("sessions");
        page.getByLabel("Redis URL").fill(redis.url());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add instance")).click();
        assertThat(page.locator("#add-form .form-ok")).containsText("Added sessions");
        assertThat(page.locator("article[data-instance='sessions'] .badge")).hasText("Up",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(15_000));

        page.navigate(url("/instances/sessions"));
        page.waitForFunction("() => Chart.getChart('memory-chart') !== undefined");
        page.waitForResponse(response -> response.url().endsWith("/api/instances/sessions/snapshots")
                && response.status() == 201,
                () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sample now")).click());
        Browser.screenshot(page, "security-operator-instance");

        page.navigate(url("/instances/sessions/scans"));
        startAndCancelScan(page, 300);
        assertThat(page.textContent(".summary-status .badge")).isEqualTo("Cancelled");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        page.waitForURL("**/login?logout");
        assertThat(page.locator("main")).containsText("You are logged out");
        assertNoProblems(page);
    }

    @Test
    void aViewerSeesThePagesWithoutTheOperatorsForms() {
        Page page = login("vera", "viewer-pw");
        assertThat(page.locator(".whoami")).containsText("viewer");
        assertThat(page.locator("article[data-instance='watched']")).isVisible();
        assertThat(page.locator("#add-form")).hasCount(0);
        assertThat(page.context().cookies()).singleElement().satisfies(cookie -> {
            assertThat(cookie.name).isEqualTo("JSESSIONID");
            assertThat(cookie.sameSite).isEqualTo(com.microsoft.playwright.options.SameSiteAttribute.LAX);
            assertThat(cookie.httpOnly).isTrue();
        });
        assertNoProblems(page);

        page.navigate(url("/instances/watched"));
        page.waitForFunction("() => Chart.getChart('memory-chart') !== undefined");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sample now"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove"))).hasCount(0);
        page.navigate(url("/instances/watched/scans"));
        assertThat(page.locator("#launch-form")).hasCount(0);
        assertNoProblems(page);
    }

    @Test
    void aWrongPasswordIsExplainedOnTheForm() {
        Page page = browser.open(url("/"), 1280, 800);
        page.addInitScript(RECORD_VIOLATIONS);
        page.waitForURL("**/login");
        page.getByLabel("User name").fill("otto");
        page.getByLabel("Password").fill("not-it");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        page.waitForURL("**/login?error");
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("Wrong user name or password.");
        Browser.screenshot(page, "security-login-error");
        assertNoProblems(page);
    }

    /**
     * On an instance's scans page: starts a scan at this rate, waits for progress, cancels it through the page (the
     * confirm dialog accepted) and waits for the page with the partial results.
     */
    static void startAndCancelScan(Page page, int keysPerSecond) {
        page.fill("#scan-rate", Integer.toString(keysPerSecond));
        page.click("#launch-form button[type=submit]");
        page.waitForURL("**/scans/*");
        page.waitForFunction("() => Number(document.querySelector('#scan-progress progress').value) > 0");
        page.evaluate("() => { window.confirm = () => true; }");
        page.waitForResponse(response -> response.url().contains("/api/scans/") && response.status() == 200,
                () -> page.click("#scan-progress button.danger"));
        page.waitForSelector("#top-keys", new Page.WaitForSelectorOptions().setTimeout(15_000));
    }

    private Page login(String user, String password) {
        Page page = browser.open(url("/login"), 1280, 800);
        page.addInitScript(RECORD_VIOLATIONS);
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        page.waitForURL(url("/"));
        return page;
    }

    @SuppressWarnings("unchecked")
    private static void assertNoProblems(Page page) {
        List<String> violations = (List<String>) page.evaluate("() => window.__csp || []");
        assertThat(violations).as("CSP violations").isEmpty();
        assertThat(browser.problems()).isEmpty();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
