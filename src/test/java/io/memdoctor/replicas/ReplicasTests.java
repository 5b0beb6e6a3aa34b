package io.memdoctor.replicas;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import io.memdoctor.alerts.Receivers;
import io.memdoctor.support.DashboardProcess;
import io.memdoctor.support.PostgresServer;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real dashboard processes on one real PostgreSQL database, watching three private Redis servers every 3 s: for
 * 60 s every instance has exactly one sample per interval, whichever replica took it; a login made through one
 * replica works on the other; after a SIGKILL of one replica the other takes over its instances with at most one
 * missed interval; retention ran under ShedLock's lock. An alert fires on every instance from the start and both
 * replicas' overviews show the same three; it is neither fired again nor left unresolved across the start's handovers
 * and the SIGKILL, and a webhook receiver gets one firing and one resolved notification per alert (repeats once a
 * minute, by whichever replica samples the instance) ({@link ReplicaAlerts}).
 */
class ReplicasTests {

    private static final long INTERVAL = 3000;
    private static final int INSTANCES = 3;

    @Test
    void twoReplicasShareTheSamplingAndOneTakesOverWhenTheOtherDies() throws Exception {
        PostgresServer server = PostgresServer.get().orElse(null);
        Assumptions.assumeTrue(server != null, PostgresServer.UNAVAILABLE);
        String database = server.createDatabase();
        Path dir = Files.createTempDirectory("memdoctor-replicas");
        List<RedisServer> redis = new ArrayList<>();
        try (HikariDataSource ds = new HikariDataSource(); Receivers receivers = new Receivers()) {
            ds.setJdbcUrl(server.url(database));
            ds.setUsername(server.user());
            ds.setPassword(server.password());
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            ReplicaAlerts.prepare(ds);
            List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + server.url(database),
                    "--spring.datasource.username=" + server.user(),
                    "--spring.datasource.password=" + server.password(), "--memdoctor.replicas.enabled=true",
                    "--memdoctor.sampling.interval=" + INTERVAL + "ms", "--memdoctor.sampling.timeout=1s",
                    "--memdoctor.security.users[0].name=olga",
                    "--memdoctor.security.users[0].password=" + new BCryptPasswordEncoder(4).encode("olga-pw"),
                    "--memdoctor.security.users[0].role=OPERATOR"));
            args.addAll(ReplicaAlerts.arguments(receivers));
            for (int i = 0; i < INSTANCES; i++) {
                // memory-high fires on the first sample (0.1 % of maxmemory)
                RedisServer one = RedisServer.start("--maxmemory", "100mb");
                redis.add(one);
                args.add("--memdoctor.instances[" + i + "].name=redis-" + i);
                args.add("--memdoctor.instances[" + i + "].url=redis://127.0.0.1:" + one.port());
            }
            // both at once, as an orchestrator would start them (and this machine is slow to start two JVMs)
            CompletableFuture<DashboardProcess> startingA = CompletableFuture.supplyAsync(() -> start(dir, "a", args));
            CompletableFuture<DashboardProcess> startingB = CompletableFuture.supplyAsync(() -> start(dir, "b", args));
            // whichever fails to start, the other is not left running
            startingA.thenAccept(started -> startingB.whenComplete((other, failed) -> {
                if (failed != null) {
                    started.close();
                }
            }));
            startingB.thenAccept(started -> startingA.whenComplete((other, failed) -> {
                if (failed != null) {
                    started.close();
                }
            }));
            try (DashboardProcess a = startingA.join(); DashboardProcess b = startingB.join()) {
                // the schedule is measured once both replicas ticked and shared the instances out (the one that
                // started first holds them all until the other joins; a share handed over at a tick may skip that
                // tick), which takes a few intervals on a busy machine, and after each replica's first sample of
                // each instance, which is stamped when it ends and, over a cold connect in a starting JVM, can end
                // nearer the next tick than its own. Every sample, the first ones included, is the lease holder's:
                // ReplicaSamplingTests follows them from the start
                long from = (System.currentTimeMillis() / INTERVAL + 5) * INTERVAL;
                Thread.sleep(from + 60_000 - System.currentTimeMillis() + INTERVAL);
                long to = from + 60_000;

                for (int i = 0; i < INSTANCES; i++) {
                    Map<Long, Integer> perInterval = perInterval(jdbc, "redis-" + i, from, to);
                    assertThat(perInterval).as("redis-%d: samples per interval, %s; rows %s", i, perInterval,
                            jdbc.queryForList("SELECT sampled_at, status, error FROM snapshot WHERE instance_id = ?"
                                    + " AND sampled_at >= ? ORDER BY sampled_at", "redis-" + i, from - INTERVAL))
                            .hasSize(20)
                            .allSatisfy((interval, samples) -> assertThat(samples).isEqualTo(1));
                }
                Map<String, String> owners = owners(jdbc);
                assertThat(owners).hasSize(INSTANCES).containsValues("a");

                // a login made on one replica is a login on the other
                HttpClient signedIn = loginWorksAcross(a, b);
                // every replica shows every firing alert, not only those of the instances it samples
                assertThat(ReplicaAlerts.firingOnOverview(signedIn, a)).hasSize(INSTANCES)
                        .isEqualTo(ReplicaAlerts.firingOnOverview(signedIn, b));

                a.kill();
                long killedAt = System.currentTimeMillis();
                Thread.sleep(8 * INTERVAL);
                for (int i = 0; i < INSTANCES; i++) {
                    List<Long> times = jdbc.queryForList("SELECT sampled_at FROM snapshot WHERE instance_id = ?"
                            + " AND sampled_at >= ? ORDER BY sampled_at", Long.class, "redis-" + i,
                            killedAt - 3 * INTERVAL);
                    for (int k = 1; k < times.size(); k++) {
                        long gap = times.get(k) - times.get(k - 1);
                        // at most one missed interval: two intervals between samples, plus scheduling slack
                        assertThat(gap).as("redis-%d gap at %d: %s", i, k, times).isLessThan(2 * INTERVAL + 1000)
                                .isGreaterThan(INTERVAL / 2);
                    }
                    assertThat(times.get(times.size() - 1)).isGreaterThan(killedAt + 4 * INTERVAL);
                }
                assertThat(owners(jdbc)).as("b took everything").containsOnly(
                        Map.entry("redis-0", "b"), Map.entry("redis-1", "b"), Map.entry("redis-2", "b"));
                assertThat(jdbc.queryForList("SELECT locked_by FROM shedlock WHERE name = 'retention'",
                        String.class)).as("retention ran under the lock").hasSize(1);

                // b resolves every alert, a's included, once
                redis.forEach(one -> one.cli("CONFIG", "SET", "maxmemory", "0"));
                ReplicaAlerts.waitFor(() -> ReplicaAlerts.allResolvedAndSent(jdbc), Duration.ofSeconds(20));
                ReplicaAlerts.assertNotifiedOnce(jdbc, receivers, INSTANCES);
            }
        }
        finally {
            redis.forEach(RedisServer::close);
            server.dropDatabase(database);
        }
    }

    private static DashboardProcess start(Path dir, String id, List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add("--memdoctor.replicas.id=" + id);
        all.add("--memdoctor.data-dir=" + dir.resolve(id));
        return DashboardProcess.startWithin(Duration.ofMinutes(5), dir.resolve(id + ".log"), "256m",
                all.toArray(String[]::new));
    }

    private static Map<Long, Integer> perInterval(JdbcTemplate jdbc, String id, long from, long to) {
        Map<Long, Integer> counts = new TreeMap<>();
        for (long at = from; at < to; at += INTERVAL) {
            counts.put(at, 0);
        }
        // a tick falls on a multiple of the interval and its sample is stored a little after: count by the nearest
        jdbc.queryForList("SELECT sampled_at FROM snapshot WHERE instance_id = ? AND sampled_at >= ? AND"
                + " sampled_at < ?", Long.class, id, from - INTERVAL / 2, to - INTERVAL / 2)
                .forEach(at -> counts.merge((at + INTERVAL / 2) / INTERVAL * INTERVAL, 1, Integer::sum));
        return counts;
    }

    private static Map<String, String> owners(JdbcTemplate jdbc) {
        Map<String, String> owners = new TreeMap<>();
        jdbc.query("SELECT instance_id, owner FROM sampling_lease WHERE expires_at > "
                + "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)",
                (java.sql.ResultSet rs) -> {
                    owners.put(rs.getString(1), rs.getString(2));
                });
        return owners;
    }

    private static HttpClient loginWorksAcross(DashboardProcess a, DashboardProcess b) throws IOException,
            InterruptedException {
        CookieManager cookies = new CookieManager();
        HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5))
                .build();
        String form = http.send(HttpRequest.newBuilder(URI.create(a.url("/login"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
        assertThat(csrf.find()).as("login form has a CSRF token").isTrue();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(a.url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=olga&password=olga-pw&_csrf=" + csrf.group(1)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
        // the same cookies, sent to the other replica (different port, same host: the cookie store sends them)
        HttpResponse<String> onB = http.send(HttpRequest.newBuilder(URI.create(b.url("/api/instances")))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
        assertThat(onB.body()).contains("redis-0");
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(b.url("/api/instances"))).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        return http;
    }
}
