package io.memdoctor.alerts.channels;

import java.util.Arrays;
import java.util.Locale;

/** Where notifications go. */
public enum ChannelType {
    /** POSTs Alertmanager's webhook payload (version 4): every Alertmanager receiver understands it. */
    WEBHOOK,
    /** A Slack incoming webhook: {@code text} plus {@code blocks}. */
    SLACK,
    /** POSTs the alerts to a real Alertmanager's {@code /api/v2/alerts}: its routing and silences apply. */
    ALERTMANAGER;

    static ChannelType parse(String text) {
        String wanted = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("channel 'type' must be webhook, slack or"
                        + " alertmanager, not '" + shorten(text) + "'"));
    }

    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
