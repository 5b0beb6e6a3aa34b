package io.memdoctor.alerts.channels;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code memdoctor.alerts}.
 *
 * @param channels notification channels: {@code memdoctor.alerts.channels[0].type=slack},
 *     {@code .url=https://hooks.slack.com/services/...}, {@code .name=team} (the URL is a secret: never shown)
 * @param repeatInterval how often a firing alert that nobody acknowledged is sent again
 * @param externalUrl the dashboard's address as people reach it, for the links in notifications
 * @param timeout how long one delivery may take (connect and answer)
 * @param retries attempts after the first one; the wait doubles from 5 s each time
 */
@ConfigurationProperties("memdoctor.alerts")
public record AlertsProperties(List<ChannelProperties> channels, @DefaultValue("4h") Duration repeatInterval,
        @DefaultValue("http://127.0.0.1:8080") URI externalUrl, @DefaultValue("5s") Duration timeout,
        @DefaultValue("6") int retries) {

    public AlertsProperties {
        channels = channels == null ? List.of() : List.copyOf(channels);
        if (repeatInterval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("memdoctor.alerts.repeat-interval must be at least 1m");
        }
        if (retries < 0 || retries > 20) {
            throw new IllegalArgumentException("memdoctor.alerts.retries must be between 0 and 20");
        }
        Set<String> names = new HashSet<>();
        for (Channel channel : configured(channels)) {
            if (!names.add(channel.name())) {
                throw new IllegalArgumentException("memdoctor.alerts.channels: two channels named '" + channel.name()
                        + "'");
            }
        }
    }

    /**
     * One channel in properties; the URL is not a record component of what is logged (see {@link Channel}).
     *
     * @param name unique name (default: the type and its position)
     * @param type {@code webhook}, {@code slack} or {@code alertmanager}
     * @param url where to POST (a secret)
     */
    public record ChannelProperties(String name, String type, String url) {

        @Override
        public String toString() {
            return "ChannelProperties[name=" + name + ", type=" + type + ", url=<secret>]";
        }
    }

    /** The configured channels, checked. */
    static List<Channel> configured(List<ChannelProperties> channels) {
        List<Channel> out = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            ChannelProperties p = channels.get(i);
            String name = p.name() == null || p.name().isBlank() ? (p.type() == null ? "channel" : p.type()) + "-" + i
                    : p.name();
            try {
                out.add(Channel.of(name, p.type(), p.url(), "properties"));
            }
            catch (IllegalArgumentException ex) {
                // no cause: the start failure shows the innermost message, and this one names the property
                throw new IllegalArgumentException("memdoctor.alerts.channels[" + i + "]: " + ex.getMessage());
            }
        }
        return out;
    }

    List<Channel> configuredChannels() {
        return configured(channels);
    }
}
