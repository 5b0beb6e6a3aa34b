package io.memdoctor.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium driven by Playwright (no browser download), one page per test, with every console error,
 * page error, failed request and dialog recorded so a test can assert there were none.
 *
 * <p>A test class gets one for all its tests with {@code @RegisterExtension static final Browser browser =
 * Browser.perClass();} (started before the first test, closed after the last), or one for a block with
 * {@code try (Browser browser = Browser.start())}.
 */
public final class Browser implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    private Playwright playwright;
    private com.microsoft.playwright.Browser browser;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> dialogs = new CopyOnWriteArrayList<>();
    private volatile boolean acceptConfirmations;

    private Browser() {
    }

    private Browser launch() {
        boolean present = Files.isExecutable(CHROMIUM);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the browser tests, but " + CHROMIUM + " is missing");
        }
        assumeTrue(present, "Chromium is not installed at " + CHROMIUM + " (apt-get install chromium)");
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run")));
        return this;
    }

    /**
     * Starts Chromium. Skips the test on a machine without it, except on CI, which installs it and must run these
     * tests.
     */
    public static Browser start() {
        return new Browser().launch();
    }

    /** One Chromium for all tests of a class, as a {@code @RegisterExtension} field; skips them like {@link #start}. */
    public static Browser perClass() {
        return new Browser();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        launch();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** A fresh page of the given size that records its problems. */
    public Page open(String url, int width, int height) {
        return open(url, width, height, com.microsoft.playwright.options.ColorScheme.LIGHT);
    }

    /** A fresh page of the given size and system colour scheme that records its problems. */
    public Page open(String url, int width, int height, com.microsoft.playwright.options.ColorScheme scheme) {
        Page page = browser.newContext(new NewContextOptions().setViewportSize(width, height).setColorScheme(scheme))
                .newPage();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                problems.add("console: " + message.text() + " (at " + message.location() + " on " + message.page().url() + ")");
            }
        });
        page.onPageError(error -> problems.add("page error: " + error));
        page.onRequestFailed(request -> {
            // ERR_ABORTED is the browser itself dropping a request, e.g. an htmx poll still in flight when the page
            // reloads or navigates (HX-Refresh at the end of a progress): no server answered badly
            if (!"net::ERR_ABORTED".equals(request.failure())) {
                problems.add("request failed: " + request.url() + " " + request.failure());
            }
        });
        page.onResponse(response -> {
            if (response.status() >= 500) {
                problems.add("HTTP " + response.status() + ": " + response.url());
            }
        });
        page.onDialog(dialog -> {
            if (acceptConfirmations && "confirm".equals(dialog.type())) {
                dialog.accept();
            }
            else {
                dialogs.add(dialog.type() + ": " + dialog.message());
                dialog.dismiss();
            }
        });
        page.navigate(url);
        return page;
    }

    /** Saves a screenshot under {@code target/screenshots/NAME.png}. */
    public static Path screenshot(Page page, String name) {
        Path file = Paths.get("target", "screenshots", name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    /** Whether confirm() dialogs (such as "Cancel this scan?") are accepted; they are dismissed by default. */
    public void acceptConfirmations(boolean accept) {
        acceptConfirmations = accept;
    }

    /** Console errors, page errors, failed requests and 5xx answers seen so far. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Every alert/confirm/prompt that fired, except confirmations a test chose to accept. */
    public List<String> dialogs() {
        return List.copyOf(dialogs);
    }

    @Override
    public void close() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (playwright != null) {
            playwright.close();
            playwright = null;
        }
    }
}
