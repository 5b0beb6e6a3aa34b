package io.memdoctor.rdb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.memdoctor.scans.engine.ScanStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ended RDB analyses: one row each, the report as JSON text (bounded: top-N keys, capped patterns), read whole.
 * Running analyses live in memory ({@link RdbService}) and reach the table when they end. Times are epoch ms.
 */
@Repository
class RdbRepository {

    private static final String COLUMNS = "id, source, status, started_at, ended_at, bytes_total, bytes_read,"
            + " keys_read, elapsed_ms, error";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    RdbRepository(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(RdbRecord r) {
        jdbc.update("INSERT INTO rdb_analysis (" + COLUMNS + ", report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.id(), truncate(text(r.source()), 300), r.status().name(), r.startedAt().toEpochMilli(),
                r.endedAt() == null ? null : r.endedAt().toEpochMilli(), r.bytesTotal(), r.bytesRead(), r.keysRead(),
                r.elapsedMillis(), truncate(text(r.error()), 2000),
                r.report() == null ? null : json.writeValueAsString(r.report()));
    }

    Optional<RdbRecord> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + ", report FROM rdb_analysis WHERE id = ?", (rs, n) -> map(rs, true), id)
                .stream().findFirst();
    }

    /** The newest analyses, without their reports. */
    List<RdbRecord> list(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM rdb_analysis ORDER BY started_at DESC, id LIMIT ?",
                (rs, n) -> map(rs, false), limit);
    }

    /** Deletes all but the {@code keep} newest. */
    int trim(int keep) {
        return jdbc.update("DELETE FROM rdb_analysis WHERE id NOT IN (SELECT id FROM (SELECT id FROM rdb_analysis"
                + " ORDER BY started_at DESC, id LIMIT ?) AS kept)", keep);
    }

    private RdbRecord map(ResultSet rs, boolean withReport) throws SQLException {
        long ended = rs.getLong("ended_at");
        Instant endedAt = rs.wasNull() ? null : Instant.ofEpochMilli(ended);
        String report = withReport ? rs.getString("report") : null;
        return new RdbRecord(rs.getString("id"), rs.getString("source"), ScanStatus.valueOf(rs.getString("status")),
                Instant.ofEpochMilli(rs.getLong("started_at")), endedAt, rs.getLong("bytes_total"),
                rs.getLong("bytes_read"), rs.getLong("keys_read"), rs.getLong("elapsed_ms"), rs.getString("error"),
                report == null ? null : json.readValue(report, RdbReport.class));
    }

    /**
     * PostgreSQL refuses a NUL in text (H2 keeps it), and an uploaded file's name is the client's: the INSERT failed
     * and the finished analysis was lost. A NUL is stored as U+FFFD, the replacement character.
     */
    private static String text(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
