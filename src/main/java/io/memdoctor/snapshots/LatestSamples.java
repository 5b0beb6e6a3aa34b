package io.memdoctor.snapshots;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.memdoctor.config.SqlDialect;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceStatus;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code snapshot_latest} table: one row per instance with the newest sample's status and the newest successful
 * sample's values, written beside each sample so the overview reads one row per instance instead of the history.
 * A row only moves forward in time: a sample older than the row (an import, a late write) leaves it alone. Written
 * with an UPDATE and, for an instance's first sample, an INSERT: the same SQL on H2 and PostgreSQL.
 */
public final class LatestSamples {

    private static final List<String> COLUMNS = Arrays.stream(Metric.values()).map(Metric::column).toList();
    private static final String SET_OK = "UPDATE snapshot_latest SET sampled_at = ?, status = 'OK', error = NULL,"
            + " down_since = NULL, ok_at = ?, " + COLUMNS.stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
            + " WHERE instance_id = ? AND sampled_at <= ?";
    private static final String SET_FAILED = "UPDATE snapshot_latest SET sampled_at = ?, status = ?, error = ?,"
            + " down_since = COALESCE(down_since, ?) WHERE instance_id = ? AND sampled_at <= ?";
    private static final String SELECT_ALL = "SELECT instance_id, sampled_at, status, error, ok_at, down_since, "
            + String.join(", ", COLUMNS) + " FROM snapshot_latest";

    private final JdbcTemplate jdbc;
    private final String insertOk;
    private final String insertFailed;

    LatestSamples(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        List<String> okColumns = new ArrayList<>(List.of("instance_id", "sampled_at", "status", "ok_at"));
        okColumns.addAll(COLUMNS);
        this.insertOk = dialect.insertIfAbsent("snapshot_latest", List.of("instance_id"), okColumns,
                "VALUES (?, ?, 'OK', ?" + ", ?".repeat(COLUMNS.size()) + ")");
        this.insertFailed = dialect.insertIfAbsent("snapshot_latest", List.of("instance_id"),
                List.of("instance_id", "sampled_at", "status", "error", "down_since"), "VALUES (?, ?, ?, ?, ?)");
    }

    /**
     * The newest state of one instance.
     *
     * @param status what the newest sample says
     * @param latestOk the newest successful sample, {@code null} if none succeeded
     */
    public record Latest(InstanceStatus status, Snapshot latestOk) {
    }

    void record(Snapshot snapshot) {
        if (update(snapshot) > 0) {
            return;
        }
        String id = snapshot.instanceId().value();
        long at = snapshot.timestamp().toEpochMilli();
        int inserted;
        try {
            if (snapshot.isOk()) {
                List<Object> args = new ArrayList<>(List.of(id, at, at));
                args.addAll(values(snapshot));
                inserted = jdbc.update(insertOk, args.toArray());
            }
            else {
                inserted = jdbc.update(insertFailed, id, at, snapshot.status().name(),
                        SnapshotRepository.truncate(snapshot.error(), 1000), at);
            }
        }
        catch (DuplicateKeyException ex) {
            inserted = 0;
        }
        if (inserted == 0) {
            // the row exists: newer (nothing to do), or inserted meanwhile by another first sample (the add's own
            // and a tick's, another replica's, a test's) that may be older: the UPDATE decides, as it would above
            update(snapshot);
        }
    }

    /** Updates the instance's row when this sample is not older; the rows changed. */
    private int update(Snapshot snapshot) {
        return snapshot.isOk() ? jdbc.update(SET_OK, setOkArgs(snapshot))
                : jdbc.update(SET_FAILED, setFailedArgs(snapshot));
    }

    /** A batch: per instance, the newest OK sample, then the first failure after it, then the newest sample. */
    void recordAll(List<Snapshot> snapshots) {
        List<List<Snapshot>> rounds = new ArrayList<>();
        snapshots.stream().collect(Collectors.groupingBy(Snapshot::instanceId)).values().forEach(samples -> {
            List<Snapshot> writes = writes(samples);
            for (int i = 0; i < writes.size(); i++) {
                if (rounds.size() <= i) {
                    rounds.add(new ArrayList<>());
                }
                rounds.get(i).add(writes.get(i));
            }
        });
        // each round holds at most one write per instance, in the order recordAll promises
        rounds.forEach(this::recordRound);
    }

    private static List<Snapshot> writes(List<Snapshot> samples) {
        samples.sort(Comparator.comparing(Snapshot::timestamp));
        int lastOk = -1;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).isOk()) {
                lastOk = i;
            }
        }
        List<Snapshot> writes = new ArrayList<>(3);
        if (lastOk >= 0) {
            writes.add(samples.get(lastOk));
        }
        if (lastOk + 1 < samples.size()) {
            writes.add(samples.get(lastOk + 1));
            if (lastOk + 1 < samples.size() - 1) {
                writes.add(samples.get(samples.size() - 1));
            }
        }
        return writes;
    }

    /** One write per instance: the UPDATEs in two JDBC batches, then an INSERT for each instance without a row. */
    private void recordRound(List<Snapshot> round) {
        List<Snapshot> ok = round.stream().filter(Snapshot::isOk).toList();
        List<Snapshot> failed = round.stream().filter(snapshot -> !snapshot.isOk()).toList();
        int[] okCounts = jdbc.batchUpdate(SET_OK, ok.stream().map(LatestSamples::setOkArgs).toList());
        int[] failedCounts = jdbc.batchUpdate(SET_FAILED, failed.stream().map(LatestSamples::setFailedArgs).toList());
        for (int i = 0; i < ok.size(); i++) {
            if (okCounts[i] == 0) {
                record(ok.get(i));
            }
        }
        for (int i = 0; i < failed.size(); i++) {
            if (failedCounts[i] == 0) {
                record(failed.get(i));
            }
        }
    }

    private static Object[] setOkArgs(Snapshot snapshot) {
        long at = snapshot.timestamp().toEpochMilli();
        List<Object> args = new ArrayList<>(List.of(at, at));
        args.addAll(values(snapshot));
        args.add(snapshot.instanceId().value());
        args.add(at);
        return args.toArray();
    }

    private static Object[] setFailedArgs(Snapshot snapshot) {
        long at = snapshot.timestamp().toEpochMilli();
        return new Object[] { at, snapshot.status().name(), SnapshotRepository.truncate(snapshot.error(), 1000), at,
                snapshot.instanceId().value(), at };
    }

    Map<InstanceId, Latest> all() {
        Map<InstanceId, Latest> all = new HashMap<>();
        jdbc.query(SELECT_ALL, (ResultSet rs) -> {
            InstanceId id = new InstanceId(rs.getString(1));
            all.put(id, map(id, rs));
        });
        return all;
    }

    void delete(InstanceId id) {
        jdbc.update("DELETE FROM snapshot_latest WHERE instance_id = ?", id.value());
    }

    private static Latest map(InstanceId id, ResultSet rs) throws SQLException {
        Instant at = Instant.ofEpochMilli(rs.getLong(2));
        String state = rs.getString(3);
        long okAt = rs.getLong(5);
        boolean anyOk = !rs.wasNull();
        long downSince = rs.getLong(6);
        boolean down = !rs.wasNull();
        InstanceStatus status = "OK".equals(state) ? new InstanceStatus("OK", at, null, null)
                : new InstanceStatus(state, at, down ? Instant.ofEpochMilli(downSince) : at, rs.getString(4));
        Snapshot latestOk = null;
        if (anyOk) {
            Map<Metric, Object> values = new EnumMap<>(Metric.class);
            int column = 7;
            for (Metric metric : Metric.values()) {
                Object value = SnapshotRepository.read(rs, column++, metric.kind());
                if (value != null) {
                    values.put(metric, value);
                }
            }
            latestOk = Snapshot.ok(id, Instant.ofEpochMilli(okAt), values);
        }
        return new Latest(status, latestOk);
    }

    private static List<Object> values(Snapshot snapshot) {
        List<Object> values = new ArrayList<>(COLUMNS.size());
        for (Metric metric : Metric.values()) {
            Object value = snapshot.get(metric);
            values.add(value instanceof String text ? SnapshotRepository.truncate(text, 200) : value);
        }
        return values;
    }
}
