package io.memdoctor.snapshots;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.memdoctor.config.SqlDialect;
import io.memdoctor.instances.InstanceId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Raw samples, the newest one per instance and the INFO texts in H2 or PostgreSQL; their rollups are
 * {@link RollupRepository}'s. The SQL is built once from {@link Metric}, the single list of fields; only "insert or
 * replace" differs between the two ({@link SqlDialect}). Times are epoch milliseconds in the database.
 */
@Repository
public class SnapshotRepository {

    private static final List<String> COLUMN_LIST = Arrays.stream(Metric.values()).map(Metric::column).toList();
    private static final String COLUMNS = String.join(", ", COLUMN_LIST);
    private static final String SELECT = "SELECT instance_id, sampled_at, status, error, " + COLUMNS
            + " FROM snapshot ";
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
    /** The oldest raw sample of any instance, read from the start of the V20 index on sampled_at. */
    static final String OLDEST_OF_ALL = "SELECT sampled_at FROM snapshot ORDER BY sampled_at LIMIT 1";

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final String insert;
    private final String saveInfo;
    private final LatestSamples latest;

    public SnapshotRepository(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.latest = new LatestSamples(jdbc, dialect);
        List<String> snapshotColumns = new ArrayList<>(List.of("instance_id", "sampled_at", "status", "error"));
        snapshotColumns.addAll(COLUMN_LIST);
        this.insert = dialect.upsert("snapshot", List.of("instance_id", "sampled_at"), snapshotColumns,
                "VALUES (?, ?, ?, ?" + ", ?".repeat(Metric.values().length) + ")");
        this.saveInfo = dialect.upsert("instance_info", List.of("instance_id"),
                List.of("instance_id", "sampled_at", "info"), "VALUES (?, ?, ?)");
    }

    /** Which database this is. */
    public SqlDialect dialect() {
        return dialect;
    }

    /** Stores a sample; a second sample at the same millisecond replaces the first. */
    public void save(Snapshot snapshot) {
        jdbc.update(insert, insertArgs(snapshot));
        latest.record(snapshot);
    }

    /** Stores many samples in one batch (imports, tests, benchmarks). */
    public void saveAll(List<Snapshot> snapshots) {
        jdbc.batchUpdate(insert, snapshots.stream().map(SnapshotRepository::insertArgs).toList());
        latest.recordAll(snapshots);
    }

    /**
     * Stores the samples of a sampling tick: the rows, {@code snapshot_latest} and the INFO texts, each in JDBC
     * batches (the caller holds them in one transaction).
     *
     * @param infoTexts the full INFO text of the samples that have one, by instance
     */
    public void saveBatch(List<Snapshot> snapshots, Map<InstanceId, InfoText> infoTexts) {
        saveAll(snapshots);
        jdbc.batchUpdate(saveInfo, infoTexts.entrySet().stream()
                .map(e -> new Object[] { e.getKey().value(), e.getValue().sampledAt().toEpochMilli(),
                        e.getValue().text() })
                .toList());
    }

    /**
     * The newest state of every instance that has one, in one read of one row per instance (the overview). An
     * instance sampled only before this table existed has no row until its next sample.
     */
    public Map<InstanceId, LatestSamples.Latest> latestOfAll() {
        return latest.all();
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
        RangeStream.stream(jdbc,
                SELECT + "WHERE instance_id = ? AND sampled_at >= ? AND sampled_at < ? ORDER BY sampled_at", id, from,
                to, SnapshotRepository::map, consumer);
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
                + " AND sampled_at >= ? AND sampled_at < ? LIMIT ?) AS first_rows", Long.class, id.value(), from.toEpochMilli(),
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

    /**
     * Drops every instance's raw samples older than {@code before}, {@code slice} of samples per statement (each
     * from the oldest sample left, so a gap of months costs one statement, not hundreds).
     */
    int deleteRawBefore(Instant before, Duration slice) {
        int deleted = 0;
        for (Optional<Instant> oldest = oldestRawOfAll(); oldest.isPresent() && oldest.get().isBefore(before);
                oldest = oldestRawOfAll()) {
            long end = Math.min(oldest.get().toEpochMilli() + slice.toMillis(), before.toEpochMilli());
            deleted += jdbc.update("DELETE FROM snapshot WHERE sampled_at < ?", end);
        }
        return deleted;
    }

    private Optional<Instant> oldestRawOfAll() {
        return jdbc.queryForList(OLDEST_OF_ALL, Long.class).stream().findFirst().map(Instant::ofEpochMilli);
    }

    /** Drops the raw samples, the newest row and the INFO text of an instance (its rollups: {@link RollupRepository}). */
    public void deleteAll(InstanceId id) {
        jdbc.update("DELETE FROM snapshot WHERE instance_id = ?", id.value());
        jdbc.update("DELETE FROM instance_info WHERE instance_id = ?", id.value());
        latest.delete(id);
    }

    /** Keeps the last full INFO text of an instance. */
    public void saveInfoText(InstanceId id, Instant at, String info) {
        jdbc.update(saveInfo, id.value(), at.toEpochMilli(), info);
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

    static Snapshot map(ResultSet rs) throws SQLException {
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

    static Object read(ResultSet rs, int column, Metric.Kind kind) throws SQLException {
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

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
