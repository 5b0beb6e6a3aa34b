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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.memdoctor.config.SqlDialect;
import io.memdoctor.instances.InstanceId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Raw samples and their rollups (per minute, 10 minutes and hour) in H2 or PostgreSQL. The SQL is built once from
 * {@link Metric}, the single list of fields; only "insert or replace" differs between the two ({@link SqlDialect}).
 * Times are epoch milliseconds in the database.
 */
@Repository
public class SnapshotRepository {

    private static final List<String> COLUMN_LIST = Arrays.stream(Metric.values()).map(Metric::column).toList();
    private static final String COLUMNS = String.join(", ", COLUMN_LIST);
    private static final String SELECT = "SELECT instance_id, sampled_at, status, error, " + COLUMNS
            + " FROM snapshot ";
    private static final List<String> ROLLUP_COLUMN_LIST = Arrays.stream(Metric.values())
            .flatMap(m -> m.numeric() ? Stream.of(m.column() + "_min", m.column() + "_avg", m.column() + "_max")
                    : Stream.of(m.column()))
            .toList();
    private static final String ROLLUP_COLUMNS = String.join(", ", ROLLUP_COLUMN_LIST);
    private static final String ROLLUP_AGGREGATES = Arrays.stream(Metric.values())
            .map(m -> m.numeric()
                    ? "MIN(" + m.column() + "), AVG(CAST(" + m.column() + " AS DOUBLE PRECISION)), MAX(" + m.column() + ")"
                    : "MAX(" + m.column() + ")")
            .collect(Collectors.joining(", "));
    /* a coarser row from finer ones: min of minima, max of maxima, the averages weighted by their OK samples */
    private static final String COARSE_AGGREGATES = Arrays.stream(Metric.values())
            .map(m -> m.numeric()
                    ? "MIN(" + m.column() + "_min), SUM(" + m.column() + "_avg * ok_samples) / NULLIF(SUM(CASE WHEN "
                            + m.column() + "_avg IS NULL THEN 0 ELSE CAST(ok_samples AS DOUBLE PRECISION) END), 0), MAX("
                            + m.column() + "_max)"
                    : "MAX(" + m.column() + ")")
            .collect(Collectors.joining(", "));
    private static final List<String> ROLLUP_KEY = List.of("instance_id", "minute_start");
    private static final List<String> ROLLUP_HEAD = List.of("instance_id", "minute_start", "first_at", "last_at",
            "samples", "ok_samples");
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
    static final String EXPIRED_ROLLUPS = expiredRollups(RollupLevel.MINUTE);
    static final String NEWEST_MINUTE = newest(RollupLevel.MINUTE);
    /*
     * Raw rows are deleted six hours of samples at a time: at 1-second sampling a statement removes at most 21,600
     * rows of one instance, so a first run over a long backlog never holds one huge transaction (docs/decisions.md).
     */
    private static final long DELETE_SLICE = Duration.ofHours(6).toMillis();

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final String insert;
    private final String saveInfo;
    private final Map<RollupLevel, String> rollUps = new EnumMap<>(RollupLevel.class);
    private final LatestSamples latest;

    public SnapshotRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dialect = SqlDialect.of(jdbc.getDataSource());
        this.latest = new LatestSamples(jdbc, dialect);
        List<String> snapshotColumns = new ArrayList<>(List.of("instance_id", "sampled_at", "status", "error"));
        snapshotColumns.addAll(COLUMN_LIST);
        this.insert = dialect.upsert("snapshot", List.of("instance_id", "sampled_at"), snapshotColumns,
                "VALUES (?, ?, ?, ?" + ", ?".repeat(Metric.values().length) + ")");
        this.saveInfo = dialect.upsert("instance_info", List.of("instance_id"),
                List.of("instance_id", "sampled_at", "info"), "VALUES (?, ?, ?)");
        List<String> rollupColumns = new ArrayList<>(ROLLUP_HEAD);
        rollupColumns.addAll(ROLLUP_COLUMN_LIST);
        rollUps.put(RollupLevel.MINUTE, dialect.upsert(RollupLevel.MINUTE.table(), ROLLUP_KEY, rollupColumns,
                "SELECT instance_id, (sampled_at / 60000) * 60000, MIN(sampled_at), MAX(sampled_at), COUNT(*),"
                        + " SUM(CASE WHEN status = 'OK' THEN 1 ELSE 0 END), " + ROLLUP_AGGREGATES
                        + " FROM snapshot WHERE instance_id = ? AND sampled_at >= ? AND sampled_at < ?"
                        + " GROUP BY instance_id, (sampled_at / 60000) * 60000"));
        for (RollupLevel level : RollupLevel.values()) {
            if (level.finer() != null) {
                String bucket = "(minute_start / " + level.widthMillis() + ") * " + level.widthMillis();
                rollUps.put(level, dialect.upsert(level.table(), ROLLUP_KEY, rollupColumns,
                        "SELECT instance_id, " + bucket + ", MIN(first_at), MAX(last_at), SUM(samples),"
                                + " SUM(ok_samples), " + COARSE_AGGREGATES + " FROM " + level.finer().table()
                                + " WHERE instance_id = ? AND minute_start >= ? AND minute_start < ?"
                                + " GROUP BY instance_id, " + bucket));
            }
        }
    }

    private static String newest(RollupLevel level) {
        return "SELECT minute_start FROM " + level.table() + " WHERE instance_id = ?"
                + " ORDER BY instance_id DESC, minute_start DESC LIMIT 1";
    }

    private static String expiredRollups(RollupLevel level) {
        return "DELETE FROM " + level.table() + " WHERE instance_id = ? AND minute_start < ?";
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

    /** Rollups whose minute starts in {@code [from, to)}, in time order, streamed to the consumer. */
    public void streamRollups(InstanceId id, Instant from, Instant to, Consumer<MinuteRollup> consumer) {
        streamRollups(RollupLevel.MINUTE, id, from, to, consumer);
    }

    /** Rows of {@code level} that start in {@code [from, to)}, in time order, streamed to the consumer. */
    public void streamRollups(RollupLevel level, InstanceId id, Instant from, Instant to,
            Consumer<MinuteRollup> consumer) {
        jdbc.query(con -> {
            var statement = con.prepareStatement("SELECT instance_id, minute_start, first_at, last_at, samples,"
                    + " ok_samples, " + ROLLUP_COLUMNS + " FROM " + level.table()
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
        return countRollups(RollupLevel.MINUTE, id, from, to);
    }

    /** How many rows of {@code level}, and how many samples they summarise, start in {@code [from, to)}. */
    public RollupCount countRollups(RollupLevel level, InstanceId id, Instant from, Instant to) {
        return jdbc.queryForObject("SELECT COUNT(*), COALESCE(SUM(samples), 0) FROM " + level.table()
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
        return rolledUntil(RollupLevel.MINUTE, id);
    }

    /** The end of the newest row of {@code level}, or empty when that level holds nothing yet. */
    public Optional<Instant> rolledUntil(RollupLevel level, InstanceId id) {
        return jdbc.queryForList(newest(level), Long.class, id.value())
                .stream().findFirst().map(ms -> Instant.ofEpochMilli(ms + level.widthMillis()));
    }

    /** The start of the oldest row of {@code level}. */
    public Optional<Instant> oldestRollup(RollupLevel level, InstanceId id) {
        return jdbc.queryForList("SELECT minute_start FROM " + level.table() + " WHERE instance_id = ?"
                + " ORDER BY instance_id, minute_start LIMIT 1", Long.class, id.value())
                .stream().findFirst().map(Instant::ofEpochMilli);
    }

    /** Rolls raw samples with {@code from <= time < to} up into per-minute rows (idempotent). */
    public int rollUp(InstanceId id, Instant from, Instant to) {
        return rollUp(RollupLevel.MINUTE, id, from, to);
    }

    /**
     * Rolls the level below {@code level} (raw samples for minutes) with {@code from <= time < to} up into rows of
     * {@code level} (idempotent; {@code from} and {@code to} should fall on the level's boundaries).
     */
    public int rollUp(RollupLevel level, InstanceId id, Instant from, Instant to) {
        return jdbc.update(rollUps.get(level), id.value(), from.toEpochMilli(), to.toEpochMilli());
    }

    /** Drops raw samples older than {@code before}, six hours of samples per statement. */
    public int deleteRawBefore(InstanceId id, Instant before) {
        int deleted = 0;
        // each slice starts at the oldest sample left, so a gap of months costs one statement, not hundreds
        for (Optional<Instant> oldest = oldestRaw(id); oldest.isPresent() && oldest.get().isBefore(before);
                oldest = oldestRaw(id)) {
            long end = Math.min(oldest.get().toEpochMilli() + DELETE_SLICE, before.toEpochMilli());
            deleted += jdbc.update("DELETE FROM snapshot WHERE instance_id = ? AND sampled_at < ?", id.value(), end);
        }
        return deleted;
    }

    /** Drops the instance's rollups (every level) of periods that started before {@code before}. */
    public int deleteRollupsBefore(InstanceId id, Instant before) {
        int deleted = 0;
        for (RollupLevel level : RollupLevel.values()) {
            deleted += jdbc.update(expiredRollups(level), id.value(), before.toEpochMilli());
        }
        return deleted;
    }

    /** Drops everything stored about an instance. */
    public void deleteAll(InstanceId id) {
        jdbc.update("DELETE FROM snapshot WHERE instance_id = ?", id.value());
        for (RollupLevel level : RollupLevel.values()) {
            jdbc.update("DELETE FROM " + level.table() + " WHERE instance_id = ?", id.value());
        }
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
