package io.memdoctor.replicas;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.memdoctor.alerts.AlertRule;
import io.memdoctor.alerts.Receivers;
import io.memdoctor.support.DashboardProcess;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert part of {@link ReplicasTests}: one rule that fires on every watched instance at once (memory-high over
 * 0.1 % of a 100 MB maxmemory, no 'for'), every other rule off, a webhook receiver, repeats every minute; what the
 * replicas show, and what was notified.
 */
final class ReplicaAlerts {

    static final String RULE = AlertRule.MEMORY_HIGH.id();
    static final Duration REPEAT = Duration.ofMinutes(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReplicaAlerts() {
    }

    /**
     * Migrates the store before the replicas start (they find it migrated) and sets the rules there, as both then
     * read them at start.
     */
    static void prepare(DataSource store) {
        Flyway.configure().dataSource(store).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(store);
        for (AlertRule rule : AlertRule.values()) {
            boolean on = rule == AlertRule.MEMORY_HIGH;
            jdbc.update("INSERT INTO alert_rule_setting (rule, instance_id, enabled, threshold, for_seconds)"
                    + " VALUES (?, '*', ?, ?, 0)", rule.id(), on, on ? Double.valueOf(0.1) : rule.defaultThreshold());
        }
    }

    static List<String> arguments(Receivers receivers) {
        return List.of("--memdoctor.alerts.channels[0].name=hook", "--memdoctor.alerts.channels[0].type=webhook",
                "--memdoctor.alerts.channels[0].url=" + receivers.url("/hook"),
                "--memdoctor.alerts.repeat-interval=" + REPEAT.toSeconds() + "s");
    }

    /** The ids of the firing alerts a replica's overview shows, signed in with {@code http}'s session. */
    static TreeSet<Long> firingOnOverview(HttpClient http, DashboardProcess replica) throws IOException,
            InterruptedException {
        HttpResponse<String> overview = http.send(HttpRequest.newBuilder(URI.create(replica.url("/api/overview")))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
        TreeSet<Long> ids = new TreeSet<>();
        for (JsonNode firing : JSON.readTree(overview.body()).findValues("firing")) {
            firing.forEach(alert -> ids.add(alert.get("id").asLong()));
        }
        return ids;
    }

    static void waitFor(BooleanSupplier condition, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    static boolean allResolvedAndSent(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE state <> 'RESOLVED'", Integer.class) == 0
                && jdbc.queryForObject("SELECT COUNT(*) FROM alert_delivery WHERE status <> 'DELIVERED'",
                        Integer.class) == 0
                && jdbc.queryForObject("SELECT COUNT(*) FROM alert_delivery WHERE kind = 'RESOLVED'",
                        Integer.class) > 0;
    }

    /**
     * Each instance fired once and resolved once, whichever replica sampled it, through the replicas' start (one
     * holds everything until the other joins), the shares handed over and the SIGKILL; the receiver got one firing
     * and one resolved notification per alert, plus the repeats, queued once per interval by whichever replica
     * sampled the instance then.
     */
    static void assertNotifiedOnce(JdbcTemplate jdbc, Receivers receivers, int instances) {
        List<Map<String, Object>> alerts = jdbc.queryForList("SELECT id, instance_id, state, fired_at, ends_at"
                + " FROM alert WHERE rule = ? ORDER BY instance_id, id", RULE);
        assertThat(alerts).as("one alert per instance, never a second one: %s", alerts).hasSize(instances)
                .extracting(row -> row.get("instance_id")).doesNotHaveDuplicates();
        Map<String, Integer> firingSent = new TreeMap<>();
        Map<String, Integer> resolvedSent = new TreeMap<>();
        for (String body : receivers.bodies("/hook")) {
            for (JsonNode alert : JSON.readTree(body).get("alerts")) {
                String instance = alert.get("labels").get("instance").asString();
                (alert.get("status").asString().equals("firing") ? firingSent : resolvedSent).merge(instance, 1,
                        Integer::sum);
            }
        }
        for (Map<String, Object> alert : alerts) {
            long id = ((Number) alert.get("id")).longValue();
            String instance = (String) alert.get("instance_id");
            assertThat(alert.get("state")).as("%s resolved", instance).isEqualTo("RESOLVED");
            List<Map<String, Object>> sent = jdbc.queryForList("SELECT kind, status, created_at FROM alert_delivery"
                    + " WHERE alert_id = ? ORDER BY created_at", id);
            List<String> kinds = sent.stream().map(row -> (String) row.get("kind")).toList();
            assertThat(kinds).as("%s: %s", instance, sent).startsWith("FIRING").endsWith("RESOLVED")
                    .containsOnlyOnce("FIRING", "RESOLVED");
            assertThat(sent).allSatisfy(row -> assertThat(row.get("status")).isEqualTo("DELIVERED"));
            long fired = ((Number) alert.get("fired_at")).longValue();
            long ended = ((Number) alert.get("ends_at")).longValue();
            long repeats = kinds.stream().filter("REPEAT"::equals).count();
            // at most one per interval, and none missed: a repeat due while the owner lay dead is queued late (by
            // the next owner, at its first dispatch), so the lower bound allows for that delay
            assertThat(repeats).as("%s repeats over %d ms firing: %s", instance, ended - fired, sent)
                    .isBetween((ended - fired - 15_000) / REPEAT.toMillis(), (ended - fired) / REPEAT.toMillis());
            List<Long> queued = new ArrayList<>();
            sent.stream().filter(row -> !"RESOLVED".equals(row.get("kind")))
                    .forEach(row -> queued.add(((Number) row.get("created_at")).longValue()));
            for (int i = 1; i < queued.size(); i++) {
                assertThat(queued.get(i) - queued.get(i - 1)).as("%s: %s", instance, sent)
                        .isGreaterThanOrEqualTo(REPEAT.toMillis() - 1000);
            }
            // a repeat due in the very second of the resolution goes out in the same request as the resolution,
            // which says 'resolved' for both (the alert as it is when sent): hence one firing item fewer then
            assertThat(firingSent.getOrDefault(instance, 0)).as("%s firing notifications received", instance)
                    .isBetween((int) repeats, 1 + (int) repeats);
            assertThat(resolvedSent.getOrDefault(instance, 0)).as("%s resolved notifications received", instance)
                    .isEqualTo(1);
        }
    }
}
