package io.memdoctor.snapshots;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.memdoctor.instances.InstanceId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Raw samples and per-minute rollups in H2. The SQL is built once from {@link Metric}, the single list of fields.
 * Times are epoch milliseconds in the database.
 */
@Repository
public class SnapshotRepository {

    private static final String COLUMNS = Arrays.stream(Metric.values()).map(Metric::column)
            .collect(Collectors.joining(", "));
    private static final String INSERT = "MERGE INTO snapshot (instance_id, sampled_at, status, error, " + COLUMNS
            + ") KEY (instance_id, sampled_at) VALUES (?, ?, ?, ?"
            + ", ?".repeat(Metric.values().length) + ")";
    private static final String SELECT = "SELECT instance_id, sampled_at, status, error, " + COLUMNS
            + " FROM snapshot ";
    private static final String ROLLUP_COLUMNS = Arrays.stream(Metric.values())
            .map(m -> m.numeric() ? m.column() + "_min, " + m.column() + "_avg, " + m.column() + "_max" : m.column())
            .collect(Collectors.joining(", "));
    private static final String ROLLUP_AGGREGATES = Arrays.stream(Metric.values())
            .map(m -> m.numeric()
                    ? "MIN(" + m.column() + "), AVG(CAST(" + m.column() + " AS DOUBLE PRECISION)), MAX(" + m.column() + ")"
                    : "MAX(" + m.column() + ")")
            .collect(Collectors.joining(", "));
    private static final String ROLL_UP = "MERGE INTO snapshot_minute (instance_id, minute_start, first_at, last_at,"
            + " samples, ok_samples, " + ROLLUP_COLUMNS + ") KEY (instance_id, minute_start)"
            + " SELECT instance_id, (sampled_at / 60000) * 60000, MIN(sampled_at), MAX(sampled_at), COUNT(*),"
            + " SUM(CASE WHEN status = 'OK' THEN 1 ELSE 0 END), " + ROLLUP_AGGREGATES
            + " FROM snapshot WHERE instance_id = ? AND sampled_at >= ? AND sampled_at < ?"
            + " GROUP BY instance_id, (sampled_at / 60000) * 60000";
    private static final int FETCH_SIZE = 2000;
    /*
     * The newest or oldest row of one instance, read from the end of the primary key (instance_id, sampled_at).
     * H2 walks the index only when ORDER BY names every index column; "ORDER BY sampled_at DESC" alone (or MIN/MAX
     * with a WHERE) reads all the instance's rows: 2 s at 7 days of 1-second samples, on every page refresh.
     * SnapshotQueryPlanTests keeps these plans honest.
     */
    static final String LATEST = SELECT + "WHERE instance_id = ? ORDER BY instance_id DESC, sampled_at DESC LIMIT 1";
    static final String LATEST_OK = SELECT + "WHERE instance_id = ? AND status = 'OK'"
            + " ORDER BY instance_id DESC, status DESC, sampled_at DESC LIMIT 1";
    static final String FIRST_FAILURE_AFTER = "SELECT sampled_at FROM snapshot WHERE instance_id = ? AND sampled_at > ?"
            + " AND status <> 'OK' ORDER BY instance_id, sampled_at LIMIT 1";
    static final String OLDEST = "SELECT sampled_at FROM snapshot WHERE instance_id = ?"
            + " ORDER BY instance_id, sampled_at LIMIT 1";
    /* per instance: the primary key starts with instance_id, so this reads only the expired rows, not the table */
    static final String EXPIRED_ROLLUPS = "DELETE FROM snapshot_minute WHERE instance_id = ? AND minute_start < ?";
    static final String NEWEST_MINUTE = "SELECT minute_start FROM snapshot_minute WHERE instance_id = ?"
            + " ORDER BY instance_id DESC, minute_start DESC LIMIT 1";

    private final JdbcTemplate jdbc;

    public SnapshotRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a sample; a second sample at the same millisecond replaces the first. */
    public void save(Snapshot snapshot) {
        jdbc.update(INSERT, insertArgs(snapshot));
    }

    /** Stores many samples in one batch (imports, tests, benchmarks). */
    public void saveAll(List<Snapshot> snapshots) {
        jdbc.batchUpdate(INSERT, snapshots.stream().map(SnapshotRepository::insertArgs).toList());
    }

    private static Object[] insertArgs(Snapshot snapshot) {
        Object[] args = new Object[4 + Metric.values().length];
        args[0] = snapshot.instanceId().value();
        args[1] = snapshot.timestamp().toEpochMilli();
        args[2] = snapshot.status().name();
        args[3] = truncate(snapshot.error(), 1000);
        for (Metric metric : Metric.values()) {
            Object value = snapshot.get(metric);
            args[4 + metric.ordinal()] = value instanceof String text ? truncate(text, 200) : value;
        }
        return args;
    }

    /** The newest sample of an instance, whatever its status. */
    public Optional<Snapshot> latest(InstanceId id) {
        return jdbc.query(LATEST, (rs, n) -> map(rs), id.value()).stream().findFirst();
    }

    /** The newest successful sample of an instance. */
    public Optional<Snapshot> latestOk(InstanceId id) {
        return jdbc.query(LATEST_OK, (rs, n) -> map(rs), id.value()).stream().findFirst();
    }

    /**
     * When the current outage began: the first failed sample after the last OK one, or empty when the newest
     * sample is OK (or there is none).
     */
    public Optional<Instant> downSince(InstanceId id) {
        long lastOk = latestOk(id).map(snapshot -> snapshot.timestamp().toEpochMilli()).orElse(-1L);
        return jdbc.queryForList(FIRST_FAILURE_AFTER, Long.class, id.value(), lastOk).stream().findFirst()
                .map(Instant::ofEpochMilli);
    }

    /** Raw samples with {@code from <= time < to}, in time order, streamed to the consumer. */
    public void streamRaw(InstanceId id, Instant from, Instant to, Consumer<Snapshot> consumer) {
        jdbc.query(con -> {
            var statement = con.prepareStatement(
                    SELECT + "WHERE instance_id = ? AND sampled_at >= ? AND sampled_at < ? ORDER BY sampled_at");
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, id.value());
            statement.setLong(2, from.toEpochMilli());
            statement.setLong(3, to.toEpochMilli());
            return statement;
        }, (ResultSet rs) -> {
            consumer.accept(map(rs));
        });
    }

    /** Raw samples with {@code from <= time < to}, in time order. */
    public List<Snapshot> findRaw(InstanceId id, Instant from, Instant to) {
        List<Snapshot> out = new ArrayList<>();
        streamRaw(id, from, to, out::add);
        return out;
    }

    /**
     * Like {@link #countRaw}, but stops counting past {@code atMost}: "are there more than N?" without reading a
     * week of samples.
     */
    public long countRaw(InstanceId id, Instant from, Instant to, long atMost) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT 1 FROM snapshot WHERE instance_id = ?"
                + " AND sampled_at >= ? AND sampled_at < ? LIMIT ?)", Long.class, id.value(), from.toEpochMilli(),
                to.toEpochMilli(), atMost + 1);
        return count == null ? 0 : count;
    }

    public long countRaw(InstanceId id, Instant from, Instant to) {
        Long count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM snapshot WHERE instance_id = ? AND sampled_at >= ? AND sampled_at < ?",
                Long.class, id.value(), from.toEpochMilli(), to.toEpochMilli());
        return count == null ? 0 : count;
    }

    /** The time of the oldest raw sample still kept. */
    public Optional<Instant> oldestRaw(InstanceId id) {
        return jdbc.queryForList(OLDEST, Long.class, id.value()).stream().findFirst().map(Instant::ofEpochMilli);
    }

    /** Rollups whose minute starts in {@code [from, to)}, in time order, streamed to the consumer. */
    public void streamRollups(InstanceId id, Instant from, Instant to, Consumer<MinuteRollup> consumer) {
        jdbc.query(con -> {
            var statement = con.prepareStatement("SELECT instance_id, minute_start, first_at, last_at, samples,"
                    + " ok_samples, " + ROLLUP_COLUMNS + " FROM snapshot_minute"
                    + " WHERE instance_id = ? AND minute_start >= ? AND minute_start < ? ORDER BY minute_start");
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, id.value());
            statement.setLong(2, from.toEpochMilli());
            statement.setLong(3, to.toEpochMilli());
            return statement;
        }, (ResultSet rs) -> {
            consumer.accept(mapRollup(id, rs));
        });
    }

    /** How many rollup rows, and how many samples they summarise, for minutes starting in {@code [from, to)}. */
    public RollupCount countRollups(InstanceId id, Instant from, Instant to) {
        return jdbc.queryForObject("SELECT COUNT(*), COALESCE(SUM(samples), 0) FROM snapshot_minute"
                + " WHERE instance_id = ? AND minute_start >= ? AND minute_start < ?",
                (rs, n) -> new RollupCount(rs.getLong(1), rs.getLong(2)), id.value(), from.toEpochMilli(),
                to.toEpochMilli());
    }

    /**
     * @param rows rollup rows
     * @param samples raw samples those rows summarise
     */
    public record RollupCount(long rows, long samples) {
    }

    /** The end of the newest rolled-up minute, or empty when nothing was rolled up yet. */
    public Optional<Instant> rolledUntil(InstanceId id) {
        return jdbc.queryForList(NEWEST_MINUTE, Long.class, id.value())
                .stream().findFirst().map(ms -> Instant.ofEpochMilli(ms + 60_000));
    }

    /** Rolls raw samples with {@code from <= time < to} up into per-minute rows (idempotent). */
    public int rollUp(InstanceId id, Instant from, Instant to) {
        return jdbc.update(ROLL_UP, id.value(), from.toEpochMilli(), to.toEpochMilli());
    }

    /** Drops raw samples older than {@code before}. */
    public int deleteRawBefore(InstanceId id, Instant before) {
        return jdbc.update("DELETE FROM snapshot WHERE instance_id = ? AND sampled_at < ?", id.value(),
                before.toEpochMilli());
    }

    /** Drops the instance's rollups of minutes that started before {@code before}. */
    public int deleteRollupsBefore(InstanceId id, Instant before) {
        return jdbc.update(EXPIRED_ROLLUPS, id.value(), before.toEpochMilli());
    }

    /** Drops everything stored about an instance. */
    public void deleteAll(InstanceId id) {
        jdbc.update("DELETE FROM snapshot WHERE instance_id = ?", id.value());
        jdbc.update("DELETE FROM snapshot_minute WHERE instance_id = ?", id.value());
        jdbc.update("DELETE FROM instance_info WHERE instance_id = ?", id.value());
    }

    /** Keeps the last full INFO text of an instance. */
    public void saveInfoText(InstanceId id, Instant at, String info) {
        jdbc.update("MERGE INTO instance_info (instance_id, sampled_at, info) KEY (instance_id) VALUES (?, ?, ?)",
                id.value(), at.toEpochMilli(), info);
    }

    /** The last full INFO text of an instance and when it was taken. */
    public Optional<InfoText> infoText(InstanceId id) {
        return jdbc.query("SELECT sampled_at, info FROM instance_info WHERE instance_id = ?",
                (rs, n) -> new InfoText(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2)), id.value())
                .stream().findFirst();
    }

    /** The raw INFO text of a sample. */
    public record InfoText(Instant sampledAt, String text) {
    }

    private static Snapshot map(ResultSet rs) throws SQLException {
        InstanceId id = new InstanceId(rs.getString(1));
        Instant at = Instant.ofEpochMilli(rs.getLong(2));
        SnapshotStatus status = SnapshotStatus.valueOf(rs.getString(3));
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        int column = 5;
        for (Metric metric : Metric.values()) {
            Object value = read(rs, column++, metric.kind());
            if (value != null) {
                values.put(metric, value);
            }
        }
        return new Snapshot(id, at, status, rs.getString(4), values);
    }

    private static MinuteRollup mapRollup(InstanceId id, ResultSet rs) throws SQLException {
        Instant minute = Instant.ofEpochMilli(rs.getLong(2));
        Instant first = Instant.ofEpochMilli(rs.getLong(3));
        Instant last = Instant.ofEpochMilli(rs.getLong(4));
        int samples = rs.getInt(5);
        int ok = rs.getInt(6);
        Map<Metric, Object> min = new EnumMap<>(Metric.class);
        Map<Metric, Object> max = new EnumMap<>(Metric.class);
        int column = 7;
        for (Metric metric : Metric.values()) {
            if (metric.numeric()) {
                putIfPresent(min, metric, read(rs, column, metric.kind()));
                putIfPresent(max, metric, read(rs, column + 2, metric.kind()));
                column += 3;
            }
            else {
                Object text = rs.getString(column++);
                putIfPresent(min, metric, text);
                putIfPresent(max, metric, text);
            }
        }
        Snapshot low = ok == 0
                ? Snapshot.failed(id, first, SnapshotStatus.UNREACHABLE, "no successful sample in this minute")
                : Snapshot.ok(id, first, min);
        Snapshot high = ok == 0 ? Snapshot.failed(id, last, SnapshotStatus.UNREACHABLE,
                "no successful sample in this minute") : Snapshot.ok(id, last, max);
        return new MinuteRollup(minute, first, last, samples, ok, low, high);
    }

    private static void putIfPresent(Map<Metric, Object> map, Metric metric, Object value) {
        if (value != null) {
            map.put(metric, value);
        }
    }

    private static Object read(ResultSet rs, int column, Metric.Kind kind) throws SQLException {
        return switch (kind) {
            case TEXT -> rs.getString(column);
            case LONG -> {
                long value = rs.getLong(column);
                yield rs.wasNull() ? null : value;
            }
            case DOUBLE -> {
                double value = rs.getDouble(column);
                yield rs.wasNull() ? null : value;
            }
        };
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
