package io.memdoctor.scans;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.RedisMemoryDoctorApplication;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard stopped during a scan, then started again on the same database: the scan is INTERRUPTED, with what
 * it had found when the stop was orderly, and without results after a crash.
 */
class ScanRestartTests {

    private static RedisServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        server = RedisServer.start();
        ScanDataset.load(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aScanRunningWhenTheDashboardStopsIsInterruptedAndKeepsWhatItFound() throws Exception {
        String id;
        try (ConfigurableApplicationContext first = start()) {
            ScanService scans = first.getBean(ScanService.class);
            id = scans.start("restart", ScanParameters.of(null, null, null, null, null, 500, null)).id();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (scans.get(id).keysScanned() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(scans.get(id).status()).isEqualTo(ScanStatus.RUNNING);
        }
        try (ConfigurableApplicationContext second = start()) {
            ScanView scan = second.getBean(ScanService.class).get(id);
            assertThat(scan.status()).isEqualTo(ScanStatus.INTERRUPTED);
            assertThat(scan.error()).isEqualTo(ScanRunner.INTERRUPTED_REASON);
            assertThat(scan.results()).isNotNull();
            assertThat(scan.results().keys()).isBetween(100L, 9000L);
            assertThat(scan.keysScanned()).isEqualTo(scan.results().keys() + scan.results().keysVanished());
            // and a new scan can start: nothing is left holding the instance
            ScanView next = second.getBean(ScanService.class).start("restart", ScanParameters.defaults());
            assertThat(next.status()).isEqualTo(ScanStatus.RUNNING);
        }
    }

    @Test
    void aScanLeftRunningByACrashIsInterruptedAtTheNextStart() {
        String id = "33333333-3333-3333-3333-333333333333";
        try (ConfigurableApplicationContext first = start()) {
            // what a killed dashboard leaves behind: a row still RUNNING, no results
            first.getBean(JdbcTemplate.class).update("INSERT INTO scan (id, instance_id, status, parameters,"
                    + " started_at, keys_total, keys_scanned, elapsed_ms) VALUES (?, 'restart', 'RUNNING',"
                    + " '{\"match\":\"*\",\"count\":1000,\"samples\":5,\"topN\":100,\"delimiters\":[\":\"]}', 0, 10,"
                    + " 5, 0)", id);
        }
        try (ConfigurableApplicationContext second = start()) {
            ScanView scan = second.getBean(ScanService.class).get(id);
            assertThat(scan.status()).isEqualTo(ScanStatus.INTERRUPTED);
            assertThat(scan.error()).isEqualTo(ScanRunner.INTERRUPTED_REASON);
            assertThat(scan.results()).isNull();
            assertThat(scan.endedAt()).isNotNull();
        }
    }

    @Test
    void withReplicasAnotherReplicasStartLeavesARunningScanAloneShowsItsProgressAndCancelsIt() throws Exception {
        try (ConfigurableApplicationContext a = start("--memdoctor.replicas.enabled=true", "--memdoctor.replicas.id=a")) {
            ScanService onA = a.getBean(ScanService.class);
            String id = onA.start("restart", ScanParameters.of(null, null, null, null, null, 200, null)).id();
            try (ConfigurableApplicationContext b = start("--memdoctor.replicas.enabled=true",
                    "--memdoctor.replicas.id=b")) {
                ScanService onB = b.getBean(ScanService.class);
                // b started while a's scan ran: the scan is a's, alive, not "left by a stopped dashboard"
                assertThat(onB.get(id).status()).isEqualTo(ScanStatus.RUNNING);
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (onB.get(id).keysScanned() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(onB.get(id).keysScanned()).as("a's progress, seen on b").isPositive();

                assertThat(onB.cancel(id).status()).isEqualTo(ScanStatus.RUNNING);
                deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (onA.get(id).status() == ScanStatus.RUNNING && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(onA.get(id).status()).as("cancelled by a at b's request").isEqualTo(ScanStatus.CANCELLED);
                assertThat(onB.get(id).status()).isEqualTo(ScanStatus.CANCELLED);
            }
        }
    }

    private ConfigurableApplicationContext start(String... more) {
        List<String> args = new ArrayList<>(List.of(
                // command-line arguments: they take precedence over application-test.yml's in-memory database
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("memdoctor") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--memdoctor.data-dir=" + dir, "--memdoctor.instances[0].name=restart",
                "--memdoctor.instances[0].url=" + server.url()));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(RedisMemoryDoctorApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .run(args.toArray(String[]::new));
    }
}
