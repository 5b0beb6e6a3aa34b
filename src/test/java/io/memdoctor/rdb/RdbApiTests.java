package io.memdoctor.rdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/rdb} over HTTP, against a file a real server wrote: uploads as the body and as multipart (streamed
 * past Spring's multipart limit), files of the configured directory (and nothing outside it), progress, the
 * scan-shaped report, cancel, and 4xx answers for what cannot be read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RdbApiTests {

    static final Path dataDir = tempDir("memdoctor-data");
    static final Path directory = tempDir("memdoctor-rdb-dir");
    static byte[] dump;
    static long dbsize;

    @BeforeAll
    static void files() throws IOException {
        try (RdbServer server = RdbServer.start(RdbServer.available().get(0)); Resp r = server.client()) {
            RdbDataset.load(r, 1, 3);
            for (int db = 0; db < 16; db++) {
                r.call("SELECT", db);
                dbsize += r.integer("DBSIZE");
            }
            dump = Files.readAllBytes(server.save());
        }
        Files.write(directory.resolve("dump.rdb"), dump);
        Files.createDirectories(directory.resolve("backups"));
        Files.write(directory.resolve("backups/old.rdb"), dump);
        Path outside = Files.createTempFile("outside", ".rdb");
        Files.write(outside, dump);
        Files.createSymbolicLink(directory.resolve("link.rdb"), outside);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.data-dir", dataDir::toString);
        registry.add("memdoctor.rdb.directory", directory::toString);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void clean() throws IOException {
        for (Path root : new Path[] {dataDir, directory}) {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @org.junit.jupiter.api.extension.RegisterExtension
    static final io.memdoctor.support.Browser browser = io.memdoctor.support.Browser.perClass();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .cookieHandler(new java.net.CookieManager()).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
    }

    private HttpResponse<String> upload(byte[] body) {
        return send(to("/api/rdb?name=dump.rdb").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private JsonNode awaitEnd(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode node = json.readTree(send(to("/api/rdb/" + id)).body());
            if (!"RUNNING".equals(node.get("status").asString())) {
                return node;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("analysis " + id + " did not end");
    }

    private String started(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode node = json.readTree(response.body());
        assertThat(node.get("status").asString()).isEqualTo("RUNNING");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/rdb/" + node.get("id").asString());
        return node.get("id").asString();
    }

    @Test
    void anUploadedFileGivesTheScansReportShape() throws InterruptedException {
        JsonNode done = awaitEnd(started(upload(dump)));
        assertThat(done.get("status").asString()).isEqualTo("DONE");
        assertThat(done.get("keysScanned").asLong()).isEqualTo(dbsize);
        assertThat(done.get("keys").asLong()).isEqualTo(dbsize);
        assertThat(done.get("bytesRead").asLong()).isEqualTo(dump.length);
        assertThat(done.get("bytesTotal").asLong()).isEqualTo(dump.length);
        assertThat(done.get("rdbVersion").asInt()).isEqualTo(10);
        assertThat(done.get("aux").get("redis-ver").asString()).startsWith("7.0");
        assertThat(done.get("bytes").asLong()).isPositive();
        assertThat(done.get("topKeys").size()).isEqualTo(100);
        assertThat(done.get("byType").propertyNames()).contains("string", "list", "set", "zset", "hash", "stream");
        assertThat(done.get("patterns").size()).isPositive();
        assertThat(done.get("ttl").size()).isEqualTo(5);
        assertThat(done.get("databases").propertyNames()).contains("0", "1", "2");
        assertThat(done.get("source").asString()).isEqualTo("dump.rdb");
        // the upload is deleted once read
        assertThat(dataDir.resolve("rdb-uploads").toFile().list()).isEmpty();
        JsonNode other = awaitEnd(started(upload(Arrays.copyOf(dump, dump.length / 2))));
        JsonNode comparison = json.readTree(send(to("/api/rdb/" + other.get("id").asString() + "/compare/"
                + done.get("id").asString())).body());
        assertThat(comparison.get("total").get("keys").get("after").asLong()).isEqualTo(dbsize);
        assertThat(comparison.get("total").get("keys").get("before").asLong()).isEqualTo(other.get("keys").asLong());
        assertThat(comparison.get("patterns").size()).isPositive();
        // a key of a file is its name in its database
        assertThat(comparison.get("topKeys").get(0).get("db").isInt()).isTrue();
        assertThat(send(to("/api/rdb/" + done.get("id").asString() + "/compare/00000000-0000-0000-0000-000000000001"))
                .statusCode()).isEqualTo(404);
        JsonNode list = json.readTree(send(to("/api/rdb")).body());
        assertThat(list.findValuesAsString("id")).contains(done.get("id").asString());
    }

    @Test
    void aMultipartUploadLargerThanSpringsMultipartLimitIsStreamed() throws IOException, InterruptedException {
        // beyond spring.servlet.multipart.max-file-size (20 MB)
        Path big = SyntheticRdb.write(Files.createTempFile("big", ".rdb"), 20_000, 1100);
        assertThat(Files.size(big)).isGreaterThan(21L << 20);
        String boundary = "----rdbtest" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\dumps\\\\big.rdb\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> response = send(to("/api/rdb")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(big), HttpRequest.BodyPublishers.ofByteArray(tail))));
        JsonNode done = awaitEnd(started(response));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("DONE");
        assertThat(done.get("keys").asLong()).isEqualTo(20_000);
        assertThat(done.get("bytesTotal").asLong()).isEqualTo(Files.size(big));
        assertThat(done.get("source").asString()).isEqualTo("big.rdb");
        Files.delete(big);
    }

    @Test
    void aFileOfTheDirectoryIsReadInPlaceAndNothingOutsideIt() throws InterruptedException {
        JsonNode done = awaitEnd(started(send(to("/api/rdb").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file\":\"backups/old.rdb\"}")))));
        assertThat(done.get("status").asString()).isEqualTo("DONE");
        assertThat(done.get("keys").asLong()).isEqualTo(dbsize);
        assertThat(directory.resolve("backups/old.rdb")).exists();

        for (String bad : new String[] {"../etc/passwd", "/etc/passwd", "backups/../../x.rdb", "link.rdb", ""}) {
            HttpResponse<String> refused = send(to("/api/rdb").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"file\":\"" + bad + "\"}")));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        HttpResponse<String> missing = send(to("/api/rdb").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file\":\"nope.rdb\"}")));
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode files = json.readTree(send(to("/api/rdb/files")).body());
        assertThat(files.findValuesAsString("name")).contains("dump.rdb");
    }

    @Test
    void aNonRdbUploadIsABadRequestWithTheReason() {
        HttpResponse<String> response = upload("<html>not a dump</html>".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(response.body()).get("detail").asString()).contains("not an RDB file");
        HttpResponse<String> newer = upload("REDIS0013\u00ff".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(newer.statusCode()).isEqualTo(400);
        assertThat(newer.body()).contains("RDB version 13");
        assertThat(upload(new byte[0]).statusCode()).isEqualTo(400);
    }

    @Test
    void aTruncatedFileFailsWithWhereAndKeepsWhatWasRead() throws InterruptedException {
        JsonNode failed = awaitEnd(started(upload(Arrays.copyOf(dump, dump.length * 2 / 3))));
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        assertThat(failed.get("error").asString()).contains("truncated").contains("byte " + dump.length * 2 / 3);
        assertThat(failed.get("keys").asLong()).isBetween(1L, dbsize - 1);
    }

    @Test
    void aRunningAnalysisCanBeCancelledAndKeepsWhatItRead() throws IOException, InterruptedException {
        Path big = SyntheticRdb.write(directory.resolve("cancel.rdb"), 2_000_000);
        HttpResponse<String> response = send(to("/api/rdb").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file\":\"cancel.rdb\"}")));
        String id = started(response);
        HttpResponse<String> cancelled = send(to("/api/rdb/" + id).DELETE());
        assertThat(cancelled.statusCode()).isEqualTo(200);
        JsonNode node = json.readTree(cancelled.body());
        assertThat(node.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(node.get("keys").asLong()).isLessThan(2_000_000);
        assertThat(send(to("/api/rdb/" + id).DELETE()).statusCode()).isEqualTo(409);
        assertThat(send(to("/api/rdb/00000000-0000-0000-0000-000000000000")).statusCode()).isEqualTo(404);
        assertThat(send(to("/api/rdb/%3Cscript%3E")).statusCode()).isEqualTo(404);
        Files.delete(big);
    }

    private HttpResponse<String> pageUpload(String token, String filename, byte[] content) {
        String boundary = "----page" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return send(to("/rdb").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("HX-Request", "true").header("X-CSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(content), HttpRequest.BodyPublishers.ofByteArray(tail))));
    }

    @Test
    void thePageUploadsFollowsProgressAndShowsHostileKeysQuoted() throws InterruptedException {
        HttpResponse<String> page = send(to("/rdb"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"upload-form\"").contains("Analyse in place");
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"")
                .matcher(page.body());
        assertThat(token.find()).isTrue();

        HttpResponse<String> refused = pageUpload(token.group(1), "notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"upload-form\"").contains("not an RDB file");

        HttpResponse<String> uploaded = pageUpload(token.group(1), "dump<b>.rdb", dump);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        String target = uploaded.headers().firstValue("HX-Redirect").orElseThrow();
        assertThat(target).startsWith("/rdb/");
        String id = target.substring("/rdb/".length());
        awaitEnd(id);

        HttpResponse<String> fragment = send(to(target).header("HX-Request", "true"));
        assertThat(fragment.body()).contains("id=\"rdb-progress\"");
        assertThat(fragment.headers().firstValue("HX-Refresh")).hasValue("true");
        HttpResponse<String> report = send(to(target));
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("Biggest keys").contains("id=\"by-type\"").contains("id=\"databases\"")
                .contains("redis-ver").containsPattern("written \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}")
                .contains("dump&lt;b&gt;.rdb").doesNotContain("dump<b>.rdb")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
        assertThat(send(to("/rdb")).body()).contains("/rdb/" + id);
    }

    @Test
    void inARealBrowserTheFormUploadsAndTheReportFollows() {
        com.microsoft.playwright.Page page = browser.open("http://127.0.0.1:" + port + "/rdb", 1280, 900);
        page.locator("#rdb-file").setInputFiles(directory.resolve("dump.rdb"));
        page.locator("#upload-form button[type=submit]").click();
        page.waitForURL(java.util.regex.Pattern.compile(".*/rdb/[0-9a-f-]{36}$"));
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#top-title"))
                .hasText("Biggest keys", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions()
                        .setTimeout(30_000));
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#top-keys tbody tr"))
                .hasCount(100);
        io.memdoctor.support.Browser.screenshot(page, "rdb-report");
        assertThat(browser.problems()).isEmpty();
    }
}
