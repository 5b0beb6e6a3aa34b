package io.memdoctor.incidents.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentNote;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Incidents and their notes in the store (H2 or PostgreSQL). The capture is one JSON document, read whole; the columns are what the list
 * needs. Times are epoch milliseconds.
 */
@Repository
public class IncidentRepository {

    private static final String COLUMNS = "id, instance_id, instance_name, instance_url, title, note, captured_at,"
            + " window_from, window_to, verdict, imported, source, scan_id";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final TransactionTemplate transactions;

    public IncidentRepository(JdbcTemplate jdbc, JsonMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** Stores an incident and its notes (an import brings notes along). */
    public void insert(Incident incident) {
        Capture capture = incident.capture();
        jdbc.update("INSERT INTO incident (" + COLUMNS + ", capture) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                incident.id(), incident.instanceId(), incident.instanceName(), incident.instanceUrl(),
                incident.title(), incident.note(), incident.capturedAt().toEpochMilli(),
                incident.windowFrom().toEpochMilli(), incident.windowTo().toEpochMilli(),
                capture.diagnosis() == null ? null : capture.diagnosis().verdict().name(), incident.imported(),
                incident.source(), capture.scan() == null ? null : capture.scan().scanId(),
                json.writeValueAsString(capture));
        incident.notes().forEach(note -> addNote(incident.id(), note, incident.capturedAt()));
    }

    /**
     * Changes the frozen capture (a scan attached once it ended, an RDB file's report attached) under the row's
     * lock, so two attachments at once (the scan ending while an operator attaches a file, on this process or
     * another replica) both stay: each changes the capture as the other left it.
     *
     * @param change the new capture from the stored one; returning the same instance writes nothing
     * @return the capture as stored after the change, empty for an unknown incident
     */
    public Optional<Capture> updateCapture(String id, UnaryOperator<Capture> change) {
        return transactions.execute(status -> {
            List<String> stored = jdbc.queryForList("SELECT capture FROM incident WHERE id = ? FOR UPDATE",
                    String.class, id);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            Capture before = json.readValue(stored.get(0), Capture.class);
            Capture after = change.apply(before);
            if (after != before) {
                jdbc.update("UPDATE incident SET capture = ? WHERE id = ?", json.writeValueAsString(after), id);
            }
            return Optional.of(after);
        });
    }

    public void addNote(String incidentId, IncidentNote note, Instant createdAt) {
        jdbc.update("INSERT INTO incident_note (incident_id, at, author, text, created_at) VALUES (?, ?, ?, ?, ?)",
                incidentId, note.at().toEpochMilli(), note.author(), note.text(), createdAt.toEpochMilli());
    }

    public int countNotes(String incidentId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM incident_note WHERE incident_id = ?",
                Integer.class, incidentId);
        return count == null ? 0 : count;
    }

    /** An incident with its capture and notes. */
    public Optional<Incident> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + ", capture FROM incident WHERE id = ?", (rs, n) -> map(rs, true), id)
                .stream().findFirst().map(incident -> incident.withNotes(notes(id)));
    }

    /**
     * Captured incidents whose scan still reads RUNNING: those waiting on one scan, or on any when {@code scanId} is
     * {@code null}. A text match on the stored JSON (no column of its own, these are few and short-lived); the
     * caller checks each scan again.
     */
    public List<Incident> findWithPendingScan(String scanId) {
        String marker = (scanId == null ? "" : "\"scanId\":\"" + scanId + "\",") + "\"status\":\"RUNNING\"";
        return jdbc.query("SELECT " + COLUMNS + ", capture FROM incident WHERE imported = FALSE AND capture LIKE ?",
                (rs, n) -> map(rs, true), "%" + marker.replace("%", "").replace("_", "") + "%");
    }

    /** The newest incidents, without captures and notes. */
    public List<Listed> list(int limit) {
        return jdbc.query("SELECT " + COLUMNS + ", (SELECT COUNT(*) FROM incident_note n WHERE n.incident_id = i.id)"
                + " FROM incident i ORDER BY captured_at DESC, id LIMIT ?",
                (rs, n) -> new Listed(map(rs, false), rs.getString("verdict"), rs.getInt(14)), limit);
    }

    /** Deletes an incident and its notes; whether there was one. */
    public boolean delete(String id) {
        return jdbc.update("DELETE FROM incident WHERE id = ?", id) > 0;
    }

    /**
     * An incident in a list.
     *
     * @param incident the incident, without capture or notes
     * @param verdict the diagnosis' verdict, {@code null} when none
     * @param notes how many notes it has
     */
    public record Listed(Incident incident, String verdict, int notes) {
    }

    private List<IncidentNote> notes(String id) {
        return jdbc.query("SELECT at, author, text FROM incident_note WHERE incident_id = ? ORDER BY at, id",
                (rs, n) -> new IncidentNote(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3)),
                id);
    }

    private Incident map(ResultSet rs, boolean withCapture) throws SQLException {
        Capture capture = withCapture ? json.readValue(rs.getString("capture"), Capture.class) : null;
        return new Incident(rs.getString("id"), rs.getString("instance_id"), rs.getString("instance_name"),
                rs.getString("instance_url"), rs.getString("title"), rs.getString("note"),
                Instant.ofEpochMilli(rs.getLong("captured_at")), Instant.ofEpochMilli(rs.getLong("window_from")),
                Instant.ofEpochMilli(rs.getLong("window_to")), rs.getBoolean("imported"), rs.getString("source"),
                capture, List.of());
    }
}
