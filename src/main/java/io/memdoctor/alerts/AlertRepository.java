package io.memdoctor.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Alerts in the database; written on state changes only, never on every sample. */
@Repository
class AlertRepository {

    private static final String COLUMNS = "id, rule, instance_id, state, severity, starts_at, fired_at, ends_at,"
            + " summary, alert_values, acknowledged_by, acknowledged_at";

    private static final int VALUES_WIDTH = 4000;

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    AlertRepository(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores a new alert and answers it with its id. */
    Alert insert(Alert alert) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            var statement = con.prepareStatement("INSERT INTO alert (rule, instance_id, state, severity, starts_at,"
                    + " fired_at, ends_at, summary, alert_values) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new String[] {"id"});
            statement.setString(1, alert.rule());
            statement.setString(2, alert.instanceId());
            statement.setString(3, alert.state().name());
            statement.setString(4, alert.severity().name());
            statement.setLong(5, alert.startsAt().toEpochMilli());
            statement.setObject(6, millis(alert.firedAt()));
            statement.setObject(7, millis(alert.endsAt()));
            statement.setString(8, truncate(alert.summary(), 1000));
            statement.setString(9, valuesJson(alert.values()));
            return statement;
        }, keys);
        long id = keys.getKey().longValue();
        return new Alert(id, alert.rule(), alert.instanceId(), alert.state(), alert.severity(), alert.startsAt(),
                alert.firedAt(), alert.endsAt(), alert.summary(), alert.values(), null, null, alert.silenced());
    }

    /**
     * Moves an alert from {@code from} to its new state, only if it is still in {@code from}: of two replicas that
     * both hold a copy, one makes the transition (and notifies); false for the other.
     */
    boolean updateState(Alert alert, AlertState from) {
        return jdbc.update("UPDATE alert SET state = ?, fired_at = ?, ends_at = ? WHERE id = ? AND state = ?",
                alert.state().name(), millis(alert.firedAt()), millis(alert.endsAt()), alert.id(), from.name()) == 1;
    }

    /** Deletes an alert; false when it was gone already. */
    boolean delete(long id) {
        return jdbc.update("DELETE FROM alert WHERE id = ?", id) == 1;
    }

    int acknowledge(long id, String by, Instant at) {
        return jdbc.update("UPDATE alert SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ?", by,
                at.toEpochMilli(), id);
    }

    /** Every PENDING or FIRING alert (on PostgreSQL through the partial index alert_one_active). */
    List<Alert> active() {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert WHERE state <> 'RESOLVED'", this::map);
    }

    List<Alert> active(String instanceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert WHERE instance_id = ? AND state <> 'RESOLVED'",
                this::map, instanceId);
    }

    java.util.Optional<Alert> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert WHERE id = ?", this::map, id).stream().findFirst();
    }

    /** Newest first, at most {@code limit}; state and instance optional. */
    List<Alert> find(AlertState state, String instanceId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state.name());
        }
        if (instanceId != null) {
            sql.append(" AND instance_id = ?");
            args.add(instanceId);
        }
        sql.append(" ORDER BY starts_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), this::map, args.toArray());
    }

    void deleteInstance(String instanceId) {
        jdbc.update("DELETE FROM alert WHERE instance_id = ?", instanceId);
    }

    private Alert map(ResultSet rs, int row) throws SQLException {
        Map<String, Object> values = json.readValue(rs.getString(10), new TypeReference<Map<String, Object>>() {
        });
        return new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), AlertState.valueOf(rs.getString(4)),
                Severity.valueOf(rs.getString(5)), instant(rs, 6), instant(rs, 7), instant(rs, 8), rs.getString(9),
                values, rs.getString(11), instant(rs, 12), false);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    /**
     * The values as JSON that fits {@code alert_values}. JSON cut at the column's width is no longer JSON (every
     * read of the alert failed on it), so the long texts among the values (a big key's escaped name, up to 4,096
     * characters) are shortened instead.
     */
    private String valuesJson(Map<String, Object> values) {
        String text = json.writeValueAsString(values);
        if (text.length() <= VALUES_WIDTH) {
            return text;
        }
        Map<String, Object> shorter = new LinkedHashMap<>();
        values.forEach((name, value) -> shorter.put(name, value instanceof String s ? truncate(s, 256) : value));
        text = json.writeValueAsString(shorter);
        return text.length() <= VALUES_WIDTH ? text : "{}";
    }

    private static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        // never half of a character outside the BMP (an emoji): a lone surrogate is not text
        return text.substring(0, Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end) + "…";
    }
}
