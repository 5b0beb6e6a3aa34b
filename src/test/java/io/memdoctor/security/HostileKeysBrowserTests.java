package io.memdoctor.security;

import java.util.List;

import com.microsoft.playwright.Page;
import io.memdoctor.support.Browser;
import io.memdoctor.support.BrowserTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key names are the server's data, and may be markup. When htmx calls the JSON API (a scan's "Cancel" answers with
 * the scan, top keys included), it must not parse that JSON as HTML: an {@code <img onerror>} in a key name would
 * otherwise run, or, under our CSP, be reported as a violation.
 */
@BrowserTest
@PrivateRedis(instance = "hostile")
class HostileKeysBrowserTests {

    static RedisServer redis;
    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    int port;

    @BeforeAll
    static void data() {
        try (RedisPipe pipe = RedisPipe.to(redis)) {
            for (int i = 0; i < 2_000; i++) {
                pipe.command("SET", "<img src=x onerror=alert(" + i + ")>", "v");
            }
        }
    }

    @Test
    void cancellingAScanOfHostileKeysRunsNothing() {
        Page page = browser.open("http://127.0.0.1:" + port + "/instances/hostile/scans", 1280, 800);
        page.addInitScript(SecurityBrowserTests.RECORD_VIOLATIONS);
        SecurityBrowserTests.startAndCancelScan(page, 200);

        assertThat(page.locator("#top-keys code").first().textContent()).startsWith("<img src=x onerror=alert(");
        assertThat((List<?>) page.evaluate("() => window.__csp || []")).isEmpty();
        assertThat(browser.problems()).isEmpty();
        assertThat(browser.dialogs()).isEmpty();
    }
}
