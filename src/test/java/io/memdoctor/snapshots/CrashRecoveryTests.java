package io.memdoctor.snapshots;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.memdoctor.support.DashboardProcess;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard killed with SIGKILL while it samples, and while it scans: every sample it had already committed (and
 * served) is still in the H2 file, the scan it was running is INTERRUPTED after the restart, and it carries on.
 */
class CrashRecoveryTests {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");

    @TempDir
    Path dataDir;

    @Test
    void sigkillLosesNoCommittedSample() throws Exception {
        Path log = dataDir.resolve("dashboard.log");
        String[] args = {"--memdoctor.data-dir=" + dataDir, "--memdoctor.sampling.interval=100ms",
                "--memdoctor.sampling.timeout=500ms", "--memdoctor.instances[0].name=crash",
                null};
        try (RedisServer redis = RedisServer.start()) {
            args[4] = "--memdoctor.instances[0].url=" + redis.url();
            List<Instant> served = new ArrayList<>();
            // polled twice as often as sampled: the same sample may be served twice
            try (DashboardProcess dashboard = DashboardProcess.start(log, args)) {
                for (int i = 0; i < 40; i++) {
                    String latest = dashboard.get("/api/instances/crash/snapshots/latest").body();
                    Matcher matcher = TIMESTAMP.matcher(latest);
                    if (matcher.find() && !served.contains(Instant.parse(matcher.group(1)))) {
                        served.add(Instant.parse(matcher.group(1)));
                    }
                    Thread.sleep(50);
                }
                dashboard.kill();
            }
            assertThat(served).hasSizeGreaterThan(10);
            Instant lastServed = served.get(served.size() - 1);

            long rows;
            try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("memdoctor"), "sa", "")) {
                for (Instant at : served) {
                    try (PreparedStatement query = db.prepareStatement(
                            "SELECT COUNT(*) FROM snapshot WHERE instance_id = 'crash' AND sampled_at = ?")) {
                        query.setLong(1, at.toEpochMilli());
                        try (ResultSet rs = query.executeQuery()) {
                            rs.next();
                            assertThat(rs.getInt(1)).as("sample served at %s is on disk", at).isEqualTo(1);
                        }
                    }
                }
                try (ResultSet rs = db.createStatement().executeQuery("SELECT COUNT(*) FROM snapshot")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            System.out.printf("SIGKILL: %d samples served before the kill, all on disk; %d rows in the file; last %s%n",
                    served.size(), rows, lastServed);

            // and it starts again on the same file, history intact, sampling on
            try (DashboardProcess again = DashboardProcess.start(log, args)) {
                Thread.sleep(1000);
                String history = again.get("/api/instances/crash/snapshots?from=" + served.get(0).minusSeconds(1)).body();
                assertThat(history).contains(served.get(0).toString()).contains(lastServed.toString());
                Matcher matcher = TIMESTAMP.matcher(again.get("/api/instances/crash/snapshots/latest").body());
                assertThat(matcher.find()).isTrue();
                assertThat(Instant.parse(matcher.group(1))).isAfter(lastServed);
            }
        }
        assertThat(Files.readString(dataDir.resolve("dashboard.log"))).contains("Started RedisMemoryDoctorApplication");
    }

    @Test
    void sigkillDuringAScanLeavesItInterruptedAndTheHistoryIntact() throws Exception {
        Path log = dataDir.resolve("scan-crash.log");
        String[] args = {"--memdoctor.data-dir=" + dataDir, "--memdoctor.sampling.interval=200ms",
                "--memdoctor.instances[0].name=scanned", null};
        try (RedisServer redis = RedisServer.start()) {
            try (RedisPipe pipe = RedisPipe.to(redis)) {
                for (int i = 0; i < 20_000; i++) {
                    pipe.command("SET", "item:" + i, "v");
                }
            }
            args[3] = "--memdoctor.instances[0].url=" + redis.url();
            String scanId;
            int beforeKill;
            try (DashboardProcess dashboard = DashboardProcess.start(log, args)) {
                var started = dashboard.postJson("/api/instances/scanned/scans", "{\"maxKeysPerSecond\":2000}");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(started.body());
                assertThat(id.find()).isTrue();
                scanId = id.group(1);
                // killed mid-way: some keys scanned, far from all 20,000
                Pattern scanned = Pattern.compile("\"keysScanned\":(\\d+)");
                int keys = 0;
                for (int i = 0; i < 100 && keys < 2_000; i++) {
                    Matcher m = scanned.matcher(dashboard.get("/api/scans/" + scanId).body());
                    keys = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    Thread.sleep(50);
                }
                assertThat(keys).isBetween(1, 19_999);
                beforeKill = samples(dashboard);
                dashboard.kill();
            }
            try (DashboardProcess again = DashboardProcess.start(log, args)) {
                String scan = again.get("/api/scans/" + scanId).body();
                assertThat(scan).contains("\"status\":\"INTERRUPTED\"");
                // the history survived, and sampling carries on; a new scan may start
                assertThat(samples(again)).isGreaterThanOrEqualTo(beforeKill);
                assertThat(again.postJson("/api/instances/scanned/scans", "{}").statusCode()).isEqualTo(202);
            }
        }
    }

    /** How many samples of the last hour the dashboard serves. */
    private static int samples(DashboardProcess dashboard) {
        String history = dashboard.get("/api/instances/scanned/snapshots?from=" + Instant.now().minusSeconds(3600))
                .body();
        return (int) TIMESTAMP.matcher(history).results().count();
    }
}
