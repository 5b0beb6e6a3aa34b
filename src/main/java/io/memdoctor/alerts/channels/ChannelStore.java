package io.memdoctor.alerts.channels;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.memdoctor.secrets.SecretBox;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * The channels: those in properties, and those added on the page, stored with the URL sealed by the installation's
 * {@link SecretBox} (AES-GCM; the key is not in the database) and only its scheme and host in clear.
 */
@Service
public class ChannelStore {

    /** Sealed, a URL grows by a third; {@code url_sealed} holds 3,000 characters. */
    static final int MAX_URL_BYTES = 2000;

    private final List<Channel> configured;
    private final JdbcTemplate jdbc;
    private final SecretBox secrets;
    private final Clock clock;

    ChannelStore(AlertsProperties properties, JdbcTemplate jdbc, SecretBox secrets, Clock clock) {
        this.configured = properties.configuredChannels();
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Every channel: properties first, then the page's, by name. */
    public List<Channel> all() {
        List<Channel> out = new ArrayList<>(configured);
        out.addAll(jdbc.query("SELECT name, type, url_sealed FROM alert_channel ORDER BY name", (rs, n) -> Channel.of(
                rs.getString(1), rs.getString(2), secrets.open(rs.getString(3)), "page")));
        return out;
    }

    public Optional<Channel> find(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * Adds a channel from the page or the API.
     *
     * @throws IllegalArgumentException for a bad type or URL (400), with a message that does not repeat the URL
     * @throws ErrorResponseException 409 when the name is taken
     */
    public Channel add(String name, String type, String url) {
        Channel channel = Channel.of(name, type, url, "page");
        if (channel.url().toString().getBytes(StandardCharsets.UTF_8).length > MAX_URL_BYTES) {
            throw new IllegalArgumentException("channel '" + ChannelType.shorten(channel.name()) + "': 'url' is longer"
                    + " than " + MAX_URL_BYTES + " bytes (not repeated here: it may hold a token)");
        }
        if (find(channel.name()).isPresent()) {
            throw new ErrorResponseException(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "A channel named '" + channel.name() + "' exists already"), null);
        }
        jdbc.update("INSERT INTO alert_channel (name, type, url_sealed, url_shown, created_at) VALUES (?, ?, ?, ?, ?)",
                channel.name(), channel.type().id(), secrets.seal(channel.url().toString()), channel.shownUrl(),
                clock.instant().toEpochMilli());
        return channel;
    }

    /** Removes a channel added on the page; those in properties stay (409). */
    public void remove(String name) {
        if (configured.stream().anyMatch(c -> c.name().equals(name))) {
            throw new ErrorResponseException(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "Channel '" + name + "' comes from the properties (memdoctor.alerts.channels): change it there"),
                    null);
        }
        if (jdbc.update("DELETE FROM alert_channel WHERE name = ?", name) == 0) {
            throw new ErrorResponseException(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(
                    HttpStatus.NOT_FOUND, "No channel named '" + ChannelType.shorten(name) + "'"), null);
        }
    }
}
