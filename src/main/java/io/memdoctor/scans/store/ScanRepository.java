package io.memdoctor.scans.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scans in the store (H2 or PostgreSQL): one row per scan and one per node it runs on ({@code scan_part}),
 * parameters and results as JSON text (results are read whole, never queried
 * inside). Times are epoch milliseconds.
 */
@Repository
public class ScanRepository {

    private static final String COLUMNS = "id, instance_id, status, parameters, started_at, ended_at, keys_total,"
            + " keys_scanned, elapsed_ms, error, keys_measured, bytes_total, scanned_from, cluster";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    public ScanRepository(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Stores a scan that just started, with a part per node it runs on: another replica shows those nodes (and,
     * through {@link #heartbeat}, their progress) while the scan runs.
     */
    public void insert(ScanRecord scan) {
        jdbc.update("INSERT INTO scan (id, instance_id, status, parameters, started_at, keys_total, keys_scanned,"
                + " elapsed_ms, scanned_from, cluster) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", scan.id(),
                scan.instanceId(), scan.status().name(), json.writeValueAsString(scan.parameters()),
                scan.startedAt().toEpochMilli(), scan.keysTotal(), scan.keysScanned(), scan.elapsedMillis(),
                scan.scannedFrom(), scan.cluster());
        insertParts(scan);
    }

    /** Records the end of a scan; returns false when the scan is gone (its instance was removed meanwhile). */
    public boolean finish(ScanRecord scan) {
        ScanResults results = scan.results();
        return jdbc.update("UPDATE scan SET status = ?, ended_at = ?, keys_total = ?, keys_scanned = ?,"
                + " elapsed_ms = ?, error = ?, results = ?, keys_measured = ?, bytes_total = ? WHERE id = ?",
                scan.status().name(), scan.endedAt().toEpochMilli(), scan.keysTotal(), scan.keysScanned(),
                scan.elapsedMillis(), truncate(scan.error(), 1000),
                results == null ? null : json.writeValueAsString(results),
                results == null ? null : results.keys(), results == null ? null : results.bytes(), scan.id()) > 0
                && insertParts(scan);
    }

    private boolean insertParts(ScanRecord scan) {
        jdbc.update("DELETE FROM scan_part WHERE scan_id = ?", scan.id());
        int n = 0;
        for (ScanPart part : scan.parts()) {
            jdbc.update("INSERT INTO scan_part (scan_id, part_no, node, node_role, primary_node, status, keys_total,"
                    + " keys_scanned, elapsed_ms, error, keys_measured, bytes_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?)", scan.id(), n++, truncate(part.node(), 300), part.role(),
                    truncate(part.primary(), 300), part.status().name(), part.keysTotal(), part.keysScanned(),
                    part.elapsedMillis(), truncate(part.error(), 1000), part.keys(), part.bytes());
        }
        return true;
    }

    private List<ScanPart> parts(String scanId) {
        return jdbc.query("SELECT node, node_role, primary_node, status, keys_total, keys_scanned, elapsed_ms, error,"
                + " keys_measured, bytes_total FROM scan_part WHERE scan_id = ? ORDER BY part_no", (rs, n) -> {
                    long keys = rs.getLong("keys_measured");
                    Long keysMeasured = rs.wasNull() ? null : keys;
                    long bytes = rs.getLong("bytes_total");
                    Long bytesTotal = rs.wasNull() ? null : bytes;
                    return new ScanPart(rs.getString("node"), rs.getString("node_role"), rs.getString("primary_node"),
                            ScanStatus.valueOf(rs.getString("status")), rs.getLong("keys_total"),
                            rs.getLong("keys_scanned"), rs.getLong("elapsed_ms"), rs.getString("error"), keysMeasured,
                            bytesTotal);
                }, scanId);
    }

    /** A scan with its results. */
    public Optional<ScanRecord> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + ", results FROM scan WHERE id = ?", (rs, n) -> map(rs, true), id)
                .stream().findFirst().map(scan -> new ScanRecord(scan.id(), scan.instanceId(), scan.status(),
                        scan.parameters(), scan.startedAt(), scan.endedAt(), scan.keysTotal(), scan.keysScanned(),
                        scan.elapsedMillis(), scan.error(), scan.results(), scan.keys(), scan.bytes(),
                        scan.scannedFrom(), scan.cluster(), parts(scan.id())));
    }

    /** The newest scans of an instance, without their results. */
    public List<ScanRecord> findByInstance(String instanceId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM scan WHERE instance_id = ? ORDER BY started_at DESC, id"
                + " LIMIT ?", (rs, n) -> map(rs, false), instanceId, limit);
    }

    /**
     * Marks scans left RUNNING by a dashboard that stopped without recording their end as INTERRUPTED: all of them
     * ({@code staleBefore} now), or, with replicas sharing the store, those whose heartbeat is older than
     * {@code staleBefore} (their replica died; a live one beats every few seconds).
     *
     * @return how many there were
     */
    public int interruptRunning(Instant now, Instant staleBefore, String reason) {
        int interrupted = jdbc.update("UPDATE scan SET status = ?, ended_at = ?, error = ? WHERE status = ? AND"
                + " COALESCE(heartbeat_at, started_at) < ?", ScanStatus.INTERRUPTED.name(), now.toEpochMilli(), reason,
                ScanStatus.RUNNING.name(), staleBefore.toEpochMilli());
        if (interrupted > 0) {
            // their nodes stopped with them: no part of an interrupted scan still reads RUNNING
            jdbc.update("UPDATE scan_part SET status = ? WHERE status = ? AND scan_id IN (SELECT id FROM scan WHERE"
                    + " status = ?)", ScanStatus.INTERRUPTED.name(), ScanStatus.RUNNING.name(),
                    ScanStatus.INTERRUPTED.name());
        }
        return interrupted;
    }

    /**
     * Writes a running scan's progress and heartbeat, and each node's progress into its part (a cluster scan runs on
     * every shard). A part the scan's end already recorded is left as recorded.
     *
     * @param parts the parts as they stand, in the order they were stored
     * @return whether another replica asked for it to be cancelled
     */
    public boolean heartbeat(String id, String owner, Instant now, long keysTotal, long keysScanned,
            List<ScanPart> parts) {
        if (jdbc.update("UPDATE scan SET owner = ?, heartbeat_at = ?, keys_total = ?, keys_scanned = ?, elapsed_ms ="
                + " ? - started_at WHERE id = ? AND status = ?", owner, now.toEpochMilli(), keysTotal, keysScanned,
                now.toEpochMilli(), id, ScanStatus.RUNNING.name()) == 1) {
            for (int n = 0; n < parts.size(); n++) {
                ScanPart part = parts.get(n);
                jdbc.update("UPDATE scan_part SET status = ?, keys_total = ?, keys_scanned = ?, elapsed_ms = ? WHERE"
                        + " scan_id = ? AND part_no = ? AND status = ?", part.status().name(), part.keysTotal(),
                        part.keysScanned(), part.elapsedMillis(), id, n, ScanStatus.RUNNING.name());
            }
        }
        return jdbc.queryForList("SELECT cancel_requested FROM scan WHERE id = ?", Boolean.class, id).stream()
                .anyMatch(Boolean.TRUE::equals);
    }

    /**
     * Asks the replica running a scan to cancel it (it reads the request at its next heartbeat).
     *
     * @return the replica that runs it, empty when the scan is not running
     */
    public Optional<String> requestCancel(String id) {
        if (jdbc.update("UPDATE scan SET cancel_requested = TRUE WHERE id = ? AND status = ?", id,
                ScanStatus.RUNNING.name()) == 0) {
            return Optional.empty();
        }
        return jdbc.queryForList("SELECT COALESCE(owner, '') FROM scan WHERE id = ?", String.class, id).stream()
                .findFirst();
    }

    /** Deletes the ended scans of an instance beyond the {@code keep} newest. */
    public int trim(String instanceId, int keep) {
        return jdbc.update("DELETE FROM scan WHERE instance_id = ? AND status <> ? AND id NOT IN (SELECT id FROM scan"
                + " WHERE instance_id = ? ORDER BY started_at DESC, id LIMIT ?)", instanceId, ScanStatus.RUNNING.name(),
                instanceId, keep);
    }

    /** Deletes every scan of an instance. */
    public int deleteByInstance(String instanceId) {
        return jdbc.update("DELETE FROM scan WHERE instance_id = ?", instanceId);
    }

    private ScanRecord map(ResultSet rs, boolean withResults) throws SQLException {
        long ended = rs.getLong("ended_at");
        Instant endedAt = rs.wasNull() ? null : Instant.ofEpochMilli(ended);
        long keys = rs.getLong("keys_measured");
        Long keysMeasured = rs.wasNull() ? null : keys;
        long bytes = rs.getLong("bytes_total");
        Long bytesTotal = rs.wasNull() ? null : bytes;
        String results = withResults ? rs.getString("results") : null;
        return new ScanRecord(rs.getString("id"), rs.getString("instance_id"),
                ScanStatus.valueOf(rs.getString("status")),
                json.readValue(rs.getString("parameters"), ScanParameters.class),
                Instant.ofEpochMilli(rs.getLong("started_at")), endedAt, rs.getLong("keys_total"),
                rs.getLong("keys_scanned"), rs.getLong("elapsed_ms"), rs.getString("error"),
                results == null ? null : json.readValue(results, ScanResults.class), keysMeasured, bytesTotal,
                rs.getString("scanned_from"), rs.getBoolean("cluster"), List.of());
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
