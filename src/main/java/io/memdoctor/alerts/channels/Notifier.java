package io.memdoctor.alerts.channels;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.memdoctor.alerts.Alert;
import io.memdoctor.alerts.AlertService;
import io.memdoctor.alerts.AlertState;
import io.memdoctor.alerts.AlertTransition;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.DiagnosisService;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends notifications: one when an alert fires, one when it resolves, again every repeat interval while it fires
 * unacknowledged, nothing while a silence covers it. Each transition queues one delivery per channel; the
 * dispatcher sends what is due, one request per channel and instance (the instance's alerts together), and retries
 * a failure with a doubling wait. The channel's URL is never logged: it may hold a token.
 */
@Component
class Notifier implements io.memdoctor.alerts.AlertPageData {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    /** Alertmanager forgets an alert not re-sent within its resolve_timeout (5 min by default). */
    static final Duration ALERTMANAGER_RESEND = Duration.ofMinutes(1);
    private static final Duration DIAGNOSIS_AGE = Duration.ofSeconds(10);

    private final ChannelStore channels;
    private final DeliveryRepository deliveries;
    private final AlertService alerts;
    private final InstanceService instances;
    private final DiagnosisService diagnoses;
    private final AlertsProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http;
    /** When each firing alert was last queued to each channel: "alertId channel". */
    private final Map<String, Instant> lastQueued = new ConcurrentHashMap<>();
    private final Map<String, Map.Entry<Instant, String>> diagnosisCache = new ConcurrentHashMap<>();

    Notifier(ChannelStore channels, DeliveryRepository deliveries, AlertService alerts, InstanceService instances,
            DiagnosisService diagnoses, AlertsProperties properties, JsonMapper json, Clock clock) {
        this.channels = channels;
        this.deliveries = deliveries;
        this.alerts = alerts;
        this.instances = instances;
        this.diagnoses = diagnoses;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @EventListener
    void onTransition(AlertTransition event) {
        Alert alert = event.alert();
        if (alerts.silenced(alert)) {
            log.info("Alert {} on {} {} while silenced: no notification", alert.rule(), alert.instanceId(),
                    alert.state());
            return;
        }
        Instant now = clock.instant();
        for (Channel channel : channels.all()) {
            deliveries.queue(channel.name(), alert.instanceId(), alert.id(), alert.state().name(), now);
            if (alert.state() == AlertState.FIRING) {
                lastQueued.put(alert.id() + " " + channel.name(), now);
            }
            else {
                lastQueued.remove(alert.id() + " " + channel.name());
            }
        }
    }

    @Scheduled(initialDelay = 1000, fixedDelay = 1000)
    void dispatch() {
        try {
            queueRepeats();
            send();
        }
        catch (RuntimeException ex) {
            log.warn("Notification dispatch failed: {}", ex.toString());
        }
    }

    /**
     * Firing alerts nobody acknowledged get sent again after the repeat interval. Only by the process that evaluates
     * the alert's instance (with replicas, the one sampling it), counting from when it was last queued by any: one
     * that takes an instance over reads that from the deliveries, so a handover neither repeats early nor twice.
     */
    private void queueRepeats() {
        Instant now = clock.instant();
        List<Channel> all = channels.all();
        List<Alert> firing = alerts.firingEvaluatedHere();
        java.util.Set<String> known = new java.util.HashSet<>();
        for (Alert alert : firing) {
            for (Channel channel : all) {
                known.add(alert.id() + " " + channel.name());
            }
        }
        lastQueued.keySet().retainAll(known);
        for (Alert alert : firing) {
            if (alert.acknowledgedBy() != null || alerts.silenced(alert)) {
                continue;
            }
            for (Channel channel : all) {
                String key = alert.id() + " " + channel.name();
                Duration every = channel.type() == ChannelType.ALERTMANAGER
                        ? min(ALERTMANAGER_RESEND, properties.repeatInterval()) : properties.repeatInterval();
                Instant last = lastQueued.computeIfAbsent(key,
                        k -> deliveries.lastQueued(alert.id(), channel.name()).orElse(now));
                if (!now.isBefore(last.plus(every)) && stillUnacknowledged(alert)) {
                    deliveries.queue(channel.name(), alert.instanceId(), alert.id(), "REPEAT", now);
                    lastQueued.put(key, now);
                }
            }
        }
    }

    /** Read again before a repeat: the acknowledgement may have been made on another replica. */
    private boolean stillUnacknowledged(Alert alert) {
        return alerts.get(alert.id()).filter(a -> a.state() == AlertState.FIRING && a.acknowledgedBy() == null)
                .isPresent();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void send() {
        Instant now = clock.instant();
        Map<String, List<Delivery>> groups = deliveries.due(now).stream().collect(Collectors.groupingBy(
                d -> d.channel() + "\n" + d.instanceId(), LinkedHashMap::new, Collectors.toList()));
        // held past every post of the group can take: another replica takes an unfinished claim over only after it
        Duration hold = min(Duration.ofMinutes(10), max(Duration.ofMinutes(1), properties.timeout().multipliedBy(3)));
        for (List<Delivery> due : groups.values()) {
            // several dashboard replicas read the same due rows: each row is sent by the one that claims it
            Instant claimedAt = clock.instant();
            List<Delivery> group = due.stream().filter(d -> deliveries.claim(d.id(), claimedAt,
                    claimedAt.plus(hold))).toList();
            if (group.isEmpty()) {
                continue;
            }
            Delivery first = group.get(0);
            Optional<Channel> channel = channels.find(first.channel());
            if (channel.isEmpty()) {
                group.forEach(d -> deliveries.failed(d.id(), "FAILED", now, "the channel was removed"));
                continue;
            }
            List<Alert> batch = new ArrayList<>();
            for (Delivery delivery : group) {
                alerts.get(delivery.alertId()).filter(a -> batch.stream().noneMatch(b -> b.id() == a.id()))
                        .ifPresent(batch::add);
            }
            if (batch.isEmpty()) {
                group.forEach(d -> deliveries.failed(d.id(), "FAILED", now, "the alert no longer exists"));
                continue;
            }
            Optional<String> error = post(channel.get(), batch, context(first.instanceId()));
            for (Delivery delivery : group) {
                if (error.isEmpty()) {
                    deliveries.delivered(delivery.id(), clock.instant());
                }
                else {
                    int attempts = delivery.attempts() + 1;
                    boolean giveUp = attempts > properties.retries();
                    deliveries.failed(delivery.id(), giveUp ? "FAILED" : "RETRYING",
                            now.plus(FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 16))), error.get());
                }
            }
            if (error.isPresent()) {
                log.warn("Notification to channel {} ({}) failed: {}", channel.get().name(), channel.get().shownUrl(),
                        error.get());
            }
        }
    }

    private Payloads.Context context(String instanceId) {
        Optional<Instance> instance = instances.find(new InstanceId(instanceId));
        URI link = properties.externalUrl().resolve("/instances/" + instanceId);
        return new Payloads.Context(instanceId, instance.map(Instance::name).orElse(instanceId),
                instance.isPresent() ? diagnosis(instanceId) : null, link);
    }

    private String diagnosis(String instanceId) {
        Map.Entry<Instant, String> cached = diagnosisCache.get(instanceId);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.getKey().plus(DIAGNOSIS_AGE))) {
            return cached.getValue();
        }
        String text;
        try {
            Diagnosis diagnosis = diagnoses.diagnose(instanceId, null, null);
            text = diagnosis.verdict().name() + ": " + diagnosis.summary().replaceAll("\\.+$", "");
        }
        catch (RuntimeException ex) {
            text = null;
        }
        diagnosisCache.put(instanceId, Map.entry(now, text == null ? "" : text));
        return text;
    }

    /** Posts the batch; empty when the channel accepted it, else why not (never the URL). */
    Optional<String> post(Channel channel, List<Alert> batch, Payloads.Context context) {
        Object body = switch (channel.type()) {
            case WEBHOOK -> Payloads.webhook(channel.name(), batch, context, properties.externalUrl());
            case SLACK -> Payloads.slack(batch, context);
            case ALERTMANAGER -> Payloads.alertmanager(batch, context);
        };
        URI target = channel.type() == ChannelType.ALERTMANAGER
                ? URI.create(channel.url().toString().replaceAll("/+$", "") + "/api/v2/alerts") : channel.url();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(properties.timeout())
                .header("Content-Type", "application/json").header("User-Agent", "redis-memory-doctor")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? Optional.empty()
                    : Optional.of("HTTP " + response.statusCode());
        }
        catch (IOException ex) {
            return Optional.of(ex.getClass().getSimpleName() + (ex.getMessage() == null ? ""
                    : ": " + ex.getMessage().replace(channel.url().toString(), channel.shownUrl())));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    @Override
    public List<Delivery> deliveries() {
        return recent();
    }

    List<Delivery> recent() {
        return deliveries.recent(100);
    }
}
