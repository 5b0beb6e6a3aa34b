package io.memdoctor.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The whole path on a real Redis driven to its maxmemory, sampled every 300 ms: the forecast alert fires before
 * Redis refuses a write, exactly one firing and one resolved notification reach a webhook and a Slack-style receiver
 * (and a real Alertmanager shows the alert), a real Prometheus scraping the dashboard fires an
 * awesome-prometheus-alerts rule, and a silence keeps the next alert quiet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles({"test", "fast-sampling"})
@DirtiesContext // scheduled sampling every 300 ms, its own webhook receivers and token: a context only it uses
class AlertsEndToEndTests {

    static final String TOKEN = "T0KEN-s3cr3t";
    static final RedisServer redis = RedisServer.start("--maxmemory", "24mb", "--maxmemory-policy", "noeviction");
    static final Receivers receivers = receivers();
    static final ExternalProcess alertmanager = ExternalProcess.installed("/usr/bin/prometheus-alertmanager")
            ? startAlertmanager() : null;
    static final JsonMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.instances[0].name", () -> "filling");
        registry.add("memdoctor.instances[0].url", redis::url);
        registry.add("memdoctor.forecast.refresh", () -> "1s");
        registry.add("memdoctor.alerts.channels[0].name", () -> "hook");
        registry.add("memdoctor.alerts.channels[0].type", () -> "webhook");
        registry.add("memdoctor.alerts.channels[0].url", () -> receivers.url("/hook?token=" + TOKEN));
        registry.add("memdoctor.alerts.channels[1].name", () -> "team-slack");
        registry.add("memdoctor.alerts.channels[1].type", () -> "slack");
        registry.add("memdoctor.alerts.channels[1].url", () -> receivers.url("/slack/" + TOKEN));
        if (alertmanager != null) {
            registry.add("memdoctor.alerts.channels[2].name", () -> "am");
            registry.add("memdoctor.alerts.channels[2].type", () -> "alertmanager");
            registry.add("memdoctor.alerts.channels[2].url", () -> "http://127.0.0.1:" + alertmanager.port);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MockMvc mvc;

    @AfterAll
    static void stop() {
        receivers.close();
        redis.close();
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @Test
    void forecastFiresBeforeOomOneNotificationEachWayPrometheusRuleFiresSilenceKeepsQuiet() throws Exception {
        ExternalProcess prometheus = ExternalProcess.installed("/usr/bin/prometheus")
                ? ExternalProcess.prometheus(port, OUT_OF_MAXMEMORY_RULE) : null;
        if (prometheus == null) {
            System.out.println("SKIPPED the Prometheus part: /usr/bin/prometheus is not installed (apt: prometheus)");
        }
        if (alertmanager == null) {
            System.out.println("SKIPPED the Alertmanager part: /usr/bin/prometheus-alertmanager is not installed");
        }
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            // the forecast alert fires while Redis still accepts every write
            AtomicBoolean oom = new AtomicBoolean();
            Thread writer = fill(commands, oom);
            await("forecast-full fires", Duration.ofSeconds(40), () -> count("firing", "forecast-full") == 1);
            assertThat(commands.info("errorstats")).doesNotContain("errorstat_OOM");
            assertThat(oom).isFalse();
            writer.join(60_000);
            assertThat(oom).as("Redis refused a write").isTrue();
            await("oom-errors fires", Duration.ofSeconds(20), () -> count("firing", "oom-errors") == 1);
            if (prometheus != null) {
                await("Prometheus fires RedisOutOfConfiguredMaxmemory", Duration.ofSeconds(40),
                        () -> prometheusFiring(prometheus));
            }
            if (alertmanager != null) {
                await("Alertmanager shows forecast-full", Duration.ofSeconds(20), () -> alertmanagerShows("forecast-full"));
            }
            // memory freed: the forecast's alert resolves, once
            commands.flushall();
            await("forecast-full resolves", Duration.ofSeconds(30), () -> count("resolved", "forecast-full") == 1);
            Thread.sleep(2500);
            assertThat(count("firing", "forecast-full")).as("forecast-full messages: %s", messages("forecast-full"))
                    .isEqualTo(1);
            assertThat(count("resolved", "forecast-full")).as("forecast-full messages: %s", messages("forecast-full"))
                    .isEqualTo(1);
            List<String> slack = receivers.bodies("/slack/");
            assertThat(slack).anySatisfy(body -> {
                JsonNode message = json.readTree(body);
                assertThat(message.get("text").asString()).contains("FIRING").contains("forecast-full")
                        .contains("full (maxmemory").contains("Diagnosis").contains("/instances/filling");
                assertThat(message.get("blocks").get(1).get("text").get("text").asString())
                        .contains("<http://127.0.0.1:8080/instances/filling|Open filling");
            });
            String channels = mvc.perform(get("/api/alerts/channels")).andExpect(status().isOk()).andReturn()
                    .getResponse().getContentAsString();
            assertThat(channels).contains("hook").contains("team-slack").doesNotContain(TOKEN);

            // silenced: the next forecast alert fires on the page, and nobody is told
            mvc.perform(post("/api/alerts/silences").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"instanceId\":\"filling\",\"minutes\":30,\"reason\":\"load test\"}"))
                    .andExpect(status().isCreated());
            oom.set(false);
            Thread again = fill(commands, oom);
            await("a silenced forecast-full fires", Duration.ofSeconds(40), () -> silencedForecastFiring());
            again.join(60_000);
            commands.flushall();
            await("it resolves", Duration.ofSeconds(30), () -> !silencedForecastFiring());
            Thread.sleep(2500);
            assertThat(count("firing", "forecast-full")).isEqualTo(1);
            assertThat(count("resolved", "forecast-full")).isEqualTo(1);
        }
        finally {
            client.shutdown();
            if (prometheus != null) {
                prometheus.close();
            }
        }
    }

    /** awesome-prometheus-alerts' RedisOutOfConfiguredMaxmemory, unchanged but for {@code for} (2m there). */
    static final String OUT_OF_MAXMEMORY_RULE = """
            groups:
              - name: redis
                rules:
                  - alert: RedisOutOfConfiguredMaxmemory
                    expr: redis_memory_used_bytes / redis_memory_max_bytes * 100 > 90 and on(instance) redis_memory_max_bytes > 0
                    for: 0m
                    labels:
                      severity: warning
                    annotations:
                      summary: Redis out of configured maxmemory (instance {{ $labels.instance }})
            """;

    private boolean prometheusFiring(ExternalProcess prometheus) {
        try {
            String body = prometheus.get("/api/v1/alerts").body();
            return body.contains("RedisOutOfConfiguredMaxmemory") && body.contains("\"state\":\"firing\"")
                    && body.contains("\"instance\":\"filling\"");
        }
        catch (Exception ex) {
            return false;
        }
    }

    private static boolean alertmanagerShows(String rule) {
        try {
            String shown = alertmanager.get("/api/v2/alerts").body();
            return shown.contains("\"alertname\":\"" + rule + "\"") && shown.contains("\"instance\":\"filling\"");
        }
        catch (Exception ex) {
            return false;
        }
    }

    private boolean silencedForecastFiring() {
        try {
            String body = mvc.perform(get("/api/alerts?state=FIRING&instance=filling")).andReturn().getResponse()
                    .getContentAsString();
            for (JsonNode alert : json.readTree(body)) {
                if (alert.get("rule").asString().equals("forecast-full")) {
                    assertThat(alert.get("silenced").asBoolean()).isTrue();
                    return true;
                }
            }
            return false;
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Alerts of {@code rule} with {@code status} in everything the webhook received. */
    /** Each webhook message's alerts of a rule as status, startsAt and endsAt, for a failure's message. */
    static List<String> messages(String rule) {
        List<String> out = new java.util.ArrayList<>();
        for (String body : receivers.bodies("/hook")) {
            for (JsonNode alert : json.readTree(body).get("alerts")) {
                if (alert.get("labels").get("alertname").asString().equals(rule)) {
                    out.add(alert.get("status").asString() + " " + alert.get("startsAt").asString() + " .. "
                            + (alert.has("endsAt") ? alert.get("endsAt").asString() : "")
                            + " " + alert.get("annotations").get("summary").asString());
                }
            }
        }
        return out;
    }

    static long count(String status, String rule) {
        long n = 0;
        for (String body : receivers.bodies("/hook")) {
            JsonNode payload = json.readTree(body);
            assertThat(payload.get("version").asString()).isEqualTo("4");
            for (JsonNode alert : payload.get("alerts")) {
                if (alert.get("status").asString().equals(status)
                        && alert.get("labels").get("alertname").asString().equals(rule)) {
                    assertThat(alert.get("labels").get("instance").asString()).isEqualTo("filling");
                    assertThat(alert.get("fingerprint").asString()).hasSize(16);
                    assertThat(alert.get("generatorURL").asString()).endsWith("/instances/filling");
                    assertThat(alert.get("annotations").get("summary").asString()).isNotBlank();
                    n++;
                }
            }
        }
        return n;
    }

    /** About 1 MB a second of 10 KB values until Redis refuses one (OOM). */
    static Thread fill(RedisCommands<String, String> commands, AtomicBoolean oom) {
        String value = "v".repeat(10_000);
        Thread writer = new Thread(() -> {
            long key = System.nanoTime();
            try {
                while (true) {
                    for (int i = 0; i < 10; i++) {
                        commands.set("fill:" + key++, value);
                    }
                    Thread.sleep(100);
                }
            }
            catch (RedisCommandExecutionException ex) {
                oom.set(ex.getMessage() != null && ex.getMessage().startsWith("OOM"));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "fill");
        writer.start();
        return writer;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what
                + "; webhook received: " + new ArrayList<>(receivers.bodies("/hook")));
    }

    private static Receivers receivers() {
        try {
            return new Receivers();
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ExternalProcess startAlertmanager() {
        try {
            return ExternalProcess.alertmanager();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
