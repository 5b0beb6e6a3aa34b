package io.memdoctor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/**
 * Silences: made by operators, read on every notification (kept in memory, reloaded when one changes). With
 * replicas a silence may be made through another process, so the copy is read again when it is over a second old:
 * an alert silenced through one replica is not sent by the one that samples its instance.
 */
@Service
public class Silences {

    static final Duration LONGEST = Duration.ofDays(30);

    /** How old the copy may be when read, with replicas. */
    static final Duration REPLICA_MAX_AGE = Duration.ofSeconds(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    /** Zero: this process makes every silence, through {@link #create} and {@link #expire}, so its copy is whole. */
    private final Duration maxAge;
    private volatile List<Silence> current;
    private volatile Instant loadedAt;

    @Autowired
    Silences(JdbcTemplate jdbc, Clock clock, @Value("${memdoctor.replicas.enabled:false}") boolean replicas) {
        this(jdbc, clock, replicas ? REPLICA_MAX_AGE : Duration.ZERO);
    }

    /** One dashboard: the copy is read at start and after each change made here. */
    Silences(JdbcTemplate jdbc, Clock clock) {
        this(jdbc, clock, Duration.ZERO);
    }

    Silences(JdbcTemplate jdbc, Clock clock, Duration maxAge) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxAge = maxAge;
        reload();
    }

    private List<Silence> copy() {
        if (!maxAge.isZero() && clock.instant().isAfter(loadedAt.plus(maxAge))) {
            reload();
        }
        return current;
    }

    private void reload() {
        loadedAt = clock.instant();
        current = jdbc.query("SELECT id, instance_id, alert_id, starts_at, ends_at, reason, created_by"
                + " FROM alert_silence WHERE ends_at > ? ORDER BY ends_at", (rs, n) -> {
                    long alert = rs.getLong(3);
                    Long alertId = rs.wasNull() ? null : alert;
                    return new Silence(rs.getLong(1), rs.getString(2), alertId, Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), rs.getString(7));
                }, clock.instant().toEpochMilli());
    }

    /** Silences that have not ended, soonest end first. */
    public List<Silence> current() {
        Instant now = clock.instant();
        return copy().stream().filter(s -> s.endsAt().isAfter(now)).toList();
    }

    public boolean silenced(Alert alert) {
        Instant now = clock.instant();
        return copy().stream().anyMatch(s -> s.covers(alert, now));
    }

    /**
     * Silences an instance or one alert for {@code duration}.
     *
     * @throws IllegalArgumentException on a missing reason, a duration out of 1 minute..30 days, or neither target
     */
    public Silence create(String instanceId, Long alertId, Duration duration, String reason, String by) {
        if ((instanceId == null) == (alertId == null)) {
            throw new IllegalArgumentException("a silence names either 'instanceId' or 'alertId'");
        }
        if (duration == null || duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("'minutes' must be between 1 and " + LONGEST.toMinutes());
        }
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new IllegalArgumentException("'reason' is required (at most 500 characters): say why, for the"
                    + " next person on call");
        }
        if (reason.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            // PostgreSQL refuses a NUL in text (H2 kept it): bad input on both, never a 500 on one
            throw new IllegalArgumentException("'reason' must not hold control characters other than line breaks"
                    + " and tabs");
        }
        Instant now = clock.instant();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            var statement = con.prepareStatement("INSERT INTO alert_silence (instance_id, alert_id, starts_at,"
                    + " ends_at, reason, created_by) VALUES (?, ?, ?, ?, ?, ?)", new String[] {"id"});
            statement.setString(1, instanceId);
            statement.setObject(2, alertId);
            statement.setLong(3, now.toEpochMilli());
            statement.setLong(4, now.plus(duration).toEpochMilli());
            statement.setString(5, reason.strip());
            statement.setString(6, by);
            return statement;
        }, keys);
        reload();
        return new Silence(keys.getKey().longValue(), instanceId, alertId, now, now.plus(duration), reason.strip(), by);
    }

    /** Ends a silence now; false when there is no such silence. */
    public boolean expire(long id) {
        int changed = jdbc.update("UPDATE alert_silence SET ends_at = ? WHERE id = ? AND ends_at > ?",
                clock.instant().toEpochMilli(), id, clock.instant().toEpochMilli());
        reload();
        return changed > 0;
    }
}
