package io.memdoctor.alerts.channels;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Deliveries in the database, so a retry survives a restart and failures show on the alerts page. */
@Repository
class DeliveryRepository {

    private static final String COLUMNS = "id, channel, instance_id, alert_id, kind, status, attempts, created_at,"
            + " next_attempt_at, delivered_at, last_error";

    private final JdbcTemplate jdbc;

    DeliveryRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void queue(String channel, String instanceId, long alertId, String kind, Instant now) {
        jdbc.update("INSERT INTO alert_delivery (channel, instance_id, alert_id, kind, status, attempts, created_at,"
                + " next_attempt_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?)", channel, instanceId, alertId, kind,
                now.toEpochMilli(), now.toEpochMilli());
    }

    /** When the alert was last queued to the channel (fired or repeated, by whichever replica), if ever. */
    java.util.Optional<Instant> lastQueued(long alertId, String channel) {
        Long at = jdbc.queryForObject("SELECT MAX(created_at) FROM alert_delivery WHERE alert_id = ? AND channel = ?",
                Long.class, alertId, channel);
        return java.util.Optional.ofNullable(at).map(Instant::ofEpochMilli);
    }

    /** Deliveries to try now: queued, to retry, or claimed by a dispatcher that did not finish in time. */
    List<Delivery> due(Instant now) {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert_delivery WHERE status IN ('PENDING', 'RETRYING',"
                + " 'SENDING') AND next_attempt_at <= ? ORDER BY id", this::map, now.toEpochMilli());
    }

    /**
     * Claims a due delivery for this dispatcher until {@code until}, in one conditional UPDATE: of several dashboard
     * replicas reading the same due row, one sends it. A claim not ended by {@link #delivered} or {@link #failed}
     * (the replica died while sending) makes the row due again at {@code until}.
     */
    boolean claim(long id, Instant now, Instant until) {
        return jdbc.update("UPDATE alert_delivery SET status = 'SENDING', next_attempt_at = ? WHERE id = ? AND status"
                + " IN ('PENDING', 'RETRYING', 'SENDING') AND next_attempt_at <= ?", until.toEpochMilli(), id,
                now.toEpochMilli()) == 1;
    }

    void delivered(long id, Instant at) {
        jdbc.update("UPDATE alert_delivery SET status = 'DELIVERED', attempts = attempts + 1, delivered_at = ?,"
                + " last_error = NULL WHERE id = ?", at.toEpochMilli(), id);
    }

    void failed(long id, String status, Instant next, String error) {
        jdbc.update("UPDATE alert_delivery SET status = ?, attempts = attempts + 1, next_attempt_at = ?,"
                + " last_error = ? WHERE id = ?", status, next.toEpochMilli(),
                error.length() > 500 ? error.substring(0, 499) + "…" : error, id);
    }

    /** Newest first. */
    List<Delivery> recent(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert_delivery ORDER BY id DESC LIMIT ?", this::map, limit);
    }

    private Delivery map(ResultSet rs, int row) throws SQLException {
        return new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)),
                instant(rs, 10), rs.getString(11));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }
}
