package io.memdoctor.alerts.channels;

import java.net.URI;
import java.util.Locale;

/**
 * One notification channel. The URL is a secret (Slack's and most webhooks' URLs carry the token in the path or
 * the query): {@link #toString()} and {@link #shownUrl()} keep only scheme, host and port.
 *
 * @param name unique name
 * @param type where it goes
 * @param url where to POST; for {@code alertmanager} the Alertmanager's base URL
 * @param source {@code properties} or {@code page}
 */
public record Channel(String name, ChannelType type, URI url, String source) {

    public Channel {
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            // control characters: PostgreSQL refuses a NUL in text (H2 kept it), and no name needs a line break
            throw new IllegalArgumentException("channel 'name' is required (at most 100 characters, no control"
                    + " characters)");
        }
        name = name.strip();
    }

    /**
     * A channel from text, checked: a known type and an absolute http(s) URL with a host.
     *
     * @throws IllegalArgumentException with a message that never repeats the URL (it may hold a token)
     */
    public static Channel of(String name, String type, String url, String source) {
        ChannelType channelType = ChannelType.parse(type);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("channel '" + ChannelType.shorten(name) + "': 'url' is required");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("channel '" + ChannelType.shorten(name)
                    + "': 'url' is not a valid URL (not repeated here: it may hold a token)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("channel '" + ChannelType.shorten(name)
                    + "': 'url' must be an absolute http:// or https:// URL with a host");
        }
        return new Channel(name, channelType, uri, source);
    }

    /** What may be shown and logged: {@code https://hooks.slack.com/…}. */
    public String shownUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + "/…";
    }

    @Override
    public String toString() {
        return "Channel[name=" + name + ", type=" + type.id() + ", url=" + shownUrl() + ", source=" + source + "]";
    }
}
