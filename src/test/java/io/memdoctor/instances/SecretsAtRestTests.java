package io.memdoctor.instances;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.memdoctor.support.DashboardProcess;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard as it runs (its own JVM, H2 files in a data directory): a Redis password added from the API and one
 * given as {@code ${ENV_VAR}} in configuration are nowhere in the data directory's bytes, the directory and its
 * files are owner-only, a restart still connects with both, and a wrong key stops the start with one clear message.
 */
class SecretsAtRestTests {

    static final String ADDED_PASSWORD = "Pw-added-7Qz4-distinctive";
    static final String ENV_PASSWORD = "Pw-from-env-K9x2-distinctive";

    @TempDir
    Path dir;

    @Test
    void passwordsAreSealedAtRestAndStillConnectAfterARestart() throws Exception {
        Path data = dir.resolve("data");
        try (RedisServer added = RedisServer.start("--requirepass", ADDED_PASSWORD);
                RedisServer configured = RedisServer.start("--requirepass", ENV_PASSWORD)) {
            Map<String, String> env = Map.of("MD_TEST_REDIS_PASSWORD", ENV_PASSWORD);
            String[] args = {"--memdoctor.data-dir=" + data, "--memdoctor.sampling.interval=300ms",
                    "--memdoctor.instances[0].name=configured",
                    "--memdoctor.instances[0].url=redis://:${MD_TEST_REDIS_PASSWORD}@127.0.0.1:" + configured.port()};
            Path firstLog = dir.resolve("first.log");
            try (DashboardProcess dashboard = start(firstLog, env, args)) {
                assertThat(dashboard.postJson("/api/instances", "{\"name\":\"added\",\"url\":\"redis://:"
                        + ADDED_PASSWORD + "@127.0.0.1:" + added.port() + "\"}").statusCode()).isEqualTo(201);
                awaitOkSample(dashboard, "added");
                awaitOkSample(dashboard, "configured");
                // while it runs, and after it is killed without a goodbye
                assertNoPasswordIn(data);
                dashboard.kill();
            }
            assertNoPasswordIn(data);
            assertThat(Files.readString(firstLog)).doesNotContain(ADDED_PASSWORD).doesNotContain(ENV_PASSWORD);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            try (Stream<Path> files = Files.list(data)) {
                assertThat(files.filter(Files::isRegularFile).toList()).isNotEmpty().allSatisfy(file -> assertThat(
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                        .isEqualTo("rw-------"));
            }
            assertThat(data.resolve("secret.key")).exists();

            // a restart reads both back (decrypts) and connects
            try (DashboardProcess again = start(dir.resolve("second.log"), env, args)) {
                awaitOkSample(again, "added");
                awaitOkSample(again, "configured");
                again.kill();
            }

            // another key: one clear message, no stack trace, and it does not run
            String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
            Path wrongLog = dir.resolve("wrong-key.log");
            String[] wrongKey = Stream.concat(Stream.of(args), Stream.of("--memdoctor.secrets.key=" + otherKey))
                    .toArray(String[]::new);
            assertThatThrownBy(() -> DashboardProcess.startWithEnvironment(wrongLog, env, wrongKey).close())
                    .hasMessageContaining("exited");
            String log = Files.readString(wrongLog);
            assertThat(log).contains("APPLICATION FAILED TO START")
                    .contains("cannot be decrypted with memdoctor.secrets.key")
                    .contains("Start with the key that sealed it").doesNotContain("\tat ")
                    .doesNotContain(ADDED_PASSWORD).doesNotContain(ENV_PASSWORD);
        }
    }

    /** Starts the dashboard; when it does not come up, the failure carries the end of its log. */
    private static DashboardProcess start(Path log, Map<String, String> env, String... args) throws Exception {
        try {
            return DashboardProcess.startWithEnvironment(log, env, args);
        }
        catch (IllegalStateException ex) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            throw new AssertionError(ex.getMessage() + "; log ends with:\n"
                    + text.substring(Math.max(0, text.length() - 4000)), ex);
        }
    }

    private static void awaitOkSample(DashboardProcess dashboard, String id) throws InterruptedException {
        String last = "";
        for (int i = 0; i < 100; i++) {
            var response = dashboard.get("/api/instances/" + id + "/snapshots/latest");
            last = response.body();
            if (response.statusCode() == 200 && last.contains("\"status\":\"OK\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(id + " has no OK sample: " + last);
    }

    private static void assertNoPasswordIn(Path data) throws Exception {
        for (String password : List.of(ADDED_PASSWORD, ENV_PASSWORD)) {
            assertThat(StoredPasswordsTests.filesContaining(data, password.getBytes(StandardCharsets.UTF_8)))
                    .as(password).isEmpty();
            // nor in UTF-16, in case a file keeps Java strings as they are in memory
            assertThat(StoredPasswordsTests.filesContaining(data, password.getBytes(StandardCharsets.UTF_16BE)))
                    .as(password).isEmpty();
        }
    }
}
