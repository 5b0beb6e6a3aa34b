package io.memdoctor.security;

import java.util.List;

import com.microsoft.playwright.Page;
import io.memdoctor.support.Browser;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key names are the server's data, and may be markup. When htmx calls the JSON API (a scan's "Cancel" answers with
 * the scan, top keys included), it must not parse that JSON as HTML: an {@code <img onerror>} in a key name would
 * otherwise run, or, under our CSP, be reported as a violation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext
class HostileKeysBrowserTests {

    static final RedisServer redis = RedisServer.start();
    @RegisterExtension
    static final Browser browser = Browser.perClass();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void instance(DynamicPropertyRegistry registry) {
        try (RedisPipe pipe = RedisPipe.to(redis)) {
            for (int i = 0; i < 2_000; i++) {
                pipe.command("SET", "<img src=x onerror=alert(" + i + ")>", "v");
            }
        }
        registry.add("memdoctor.instances[0].name", () -> "hostile");
        registry.add("memdoctor.instances[0].url", redis::url);
    }

    @AfterAll
    static void stop() {
        redis.close();
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
