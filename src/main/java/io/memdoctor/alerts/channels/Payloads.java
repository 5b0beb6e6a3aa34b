package io.memdoctor.alerts.channels;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.memdoctor.alerts.Alert;
import io.memdoctor.alerts.AlertState;

/** The bodies each channel type expects, for the alerts of one instance. Pure. */
final class Payloads {

    /** Alertmanager's "no end yet" time in its webhook payload. */
    static final String NO_END = "0001-01-01T00:00:00Z";

    private Payloads() {
    }

    /**
     * What the notification says of an instance besides the alerts.
     *
     * @param instanceId the instance
     * @param instanceName its display name
     * @param diagnosis the verdict and its one-line summary, or {@code null}
     * @param link the instance page
     */
    record Context(String instanceId, String instanceName, String diagnosis, URI link) {
    }

    static Map<String, Object> labels(Alert alert) {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("alertname", alert.rule());
        labels.put("instance", alert.instanceId());
        labels.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        return labels;
    }

    static Map<String, Object> annotations(Alert alert, Context context) {
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("summary", alert.summary());
        annotations.put("description", alert.summary() + (context.diagnosis() == null ? ""
                : ". Diagnosis: " + context.diagnosis()) + ". Values: " + alert.values() + ". " + context.link());
        return annotations;
    }

    /** Alertmanager's webhook payload, version 4. */
    static Map<String, Object> webhook(String receiver, List<Alert> alerts, Context context, URI externalUrl) {
        boolean firing = alerts.stream().anyMatch(a -> a.state() == AlertState.FIRING);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Alert alert : alerts) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("status", status(alert));
            item.put("labels", labels(alert));
            item.put("annotations", annotations(alert, context));
            item.put("startsAt", startsAt(alert).toString());
            item.put("endsAt", alert.endsAt() == null ? NO_END : alert.endsAt().toString());
            item.put("generatorURL", context.link().toString());
            item.put("fingerprint", fingerprint(alert));
            items.add(item);
        }
        Map<String, Object> group = Map.of("instance", context.instanceId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "4");
        body.put("groupKey", "{}:{instance=\"" + context.instanceId() + "\"}");
        body.put("truncatedAlerts", 0);
        body.put("status", firing ? "firing" : "resolved");
        body.put("receiver", receiver);
        body.put("groupLabels", group);
        body.put("commonLabels", alerts.size() == 1 ? labels(alerts.get(0)) : group);
        body.put("commonAnnotations", alerts.size() == 1 ? annotations(alerts.get(0), context) : Map.of());
        body.put("externalURL", externalUrl.toString());
        body.put("alerts", items);
        return body;
    }

    /** Alertmanager's {@code POST /api/v2/alerts} body: a firing alert has no end, a resolved one its end. */
    static List<Map<String, Object>> alertmanager(List<Alert> alerts, Context context) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Alert alert : alerts) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("labels", labels(alert));
            item.put("annotations", annotations(alert, context));
            item.put("startsAt", startsAt(alert).toString());
            if (alert.endsAt() != null) {
                item.put("endsAt", alert.endsAt().toString());
            }
            item.put("generatorURL", context.link().toString());
            items.add(item);
        }
        return items;
    }

    /** A Slack incoming-webhook message: {@code text} for notifications, {@code blocks} for the channel. */
    static Map<String, Object> slack(List<Alert> alerts, Context context) {
        boolean firing = alerts.stream().anyMatch(a -> a.state() == AlertState.FIRING);
        String head = (firing ? "FIRING" : "RESOLVED") + ": " + context.instanceName() + " ("
                + alerts.size() + (alerts.size() == 1 ? " alert)" : " alerts)");
        StringBuilder lines = new StringBuilder();
        StringBuilder plain = new StringBuilder(head);
        for (Alert alert : alerts) {
            lines.append("• *").append(escape(status(alert).toUpperCase(Locale.ROOT))).append("* `")
                    .append(escape(alert.rule())).append("` (").append(alert.severity().name().toLowerCase(Locale.ROOT))
                    .append("): ").append(escape(alert.summary())).append('\n');
            plain.append(" | ").append(alert.rule()).append(": ").append(alert.summary());
        }
        if (context.diagnosis() != null) {
            lines.append("*Diagnosis:* ").append(escape(context.diagnosis())).append('\n');
            plain.append(" | Diagnosis: ").append(context.diagnosis());
        }
        lines.append('<').append(context.link()).append("|Open ").append(escape(context.instanceName()))
                .append(" in Redis Memory Doctor>");
        plain.append(" | ").append(context.link());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", plain.toString());
        body.put("blocks", List.of(
                Map.of("type", "header", "text", Map.of("type", "plain_text", "text", cut(head, 150))),
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", cut(lines.toString(), 3000)))));
        return body;
    }

    private static String status(Alert alert) {
        return alert.state() == AlertState.RESOLVED ? "resolved" : "firing";
    }

    private static Instant startsAt(Alert alert) {
        return alert.startsAt();
    }

    /** Slack's mrkdwn control characters: a key name or an error text must not turn into a link or a mention. */
    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Stable per rule and instance, as Alertmanager's fingerprint is per label set. */
    static String fingerprint(Alert alert) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("alertname=" + alert.rule() + ",instance="
                    + alert.instanceId()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
