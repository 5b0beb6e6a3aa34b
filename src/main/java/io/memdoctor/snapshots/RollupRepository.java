package io.memdoctor.snapshots;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.memdoctor.config.SqlDialect;
import io.memdoctor.instances.InstanceId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The rollup tables (per minute, 10 minutes and hour): reading them for charts and rules, and the SQL that fills and
 * expires them. Each rollup is an upsert of a {@code GROUP BY} over the finer level, for one instance or for every
 * instance at once (the minute's housekeeping, through the {@code minute_start} / {@code sampled_at} indexes of V20).
 */
@Repository
public class RollupRepository {

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
    private static final String MINUTE = "(sampled_at / 60000) * 60000";
    static final String NEWEST_MINUTE = newest(RollupLevel.MINUTE);
    /* every instance's expired rows, read from the start of the V20 index on minute_start, not the whole table */
    static final String EXPIRED_MINUTES = expired(RollupLevel.MINUTE);
    static final String OLDEST_MINUTE_OF_ALL = oldestOfAllSql(RollupLevel.MINUTE);
    /** The newest minute row of any instance before a time, read backwards on the V20 index on minute_start. */
    static final String NEWEST_MINUTE_OF_ALL = newestOfAll(RollupLevel.MINUTE);
    static final String ROLLED_IN = "SELECT DISTINCT instance_id FROM snapshot_minute WHERE minute_start >= ?"
            + " AND minute_start < ?";
    /**
     * The (instance, minute)s of {@code [?, ?)} holding more raw samples than their minute row counts (or with no
     * row): samples stored after their minute was rolled up. Counts only, so it reads the index and no metric.
     */
    static final String LATE_MINUTES = "SELECT r.instance_id, r.minute_start FROM (SELECT instance_id, " + MINUTE
            + " AS minute_start, COUNT(*) AS n FROM snapshot WHERE sampled_at >= ? AND sampled_at < ?"
            + " GROUP BY instance_id, " + MINUTE + ") r LEFT JOIN snapshot_minute m"
            + " ON m.instance_id = r.instance_id AND m.minute_start = r.minute_start"
            + " WHERE m.samples IS NULL OR r.n > m.samples";

    private final JdbcTemplate jdbc;
    private final Map<RollupLevel, String> rollUps = new EnumMap<>(RollupLevel.class);
    private final Map<RollupLevel, String> rollUpsOfAll = new EnumMap<>(RollupLevel.class);

    public RollupRepository(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        List<String> columns = new ArrayList<>(ROLLUP_HEAD);
        columns.addAll(ROLLUP_COLUMN_LIST);
        for (RollupLevel level : RollupLevel.values()) {
            String source = source(level);
            rollUps.put(level, dialect.upsert(level.table(), ROLLUP_KEY, columns, source.replace("%WHERE%",
                    "instance_id = ? AND " + timeColumn(level) + " >= ? AND " + timeColumn(level) + " < ?")));
            rollUpsOfAll.put(level, dialect.upsert(level.table(), ROLLUP_KEY, columns, source.replace("%WHERE%",
                    timeColumn(level) + " >= ? AND " + timeColumn(level) + " < ?")));
        }
    }

    private static String source(RollupLevel level) {
        if (level.finer() == null) {
            return "SELECT instance_id, " + MINUTE + ", MIN(sampled_at), MAX(sampled_at), COUNT(*),"
                    + " SUM(CASE WHEN status = 'OK' THEN 1 ELSE 0 END), " + ROLLUP_AGGREGATES
                    + " FROM snapshot WHERE %WHERE% GROUP BY instance_id, " + MINUTE;
        }
        String bucket = "(minute_start / " + level.widthMillis() + ") * " + level.widthMillis();
        return "SELECT instance_id, " + bucket + ", MIN(first_at), MAX(last_at), SUM(samples), SUM(ok_samples), "
                + COARSE_AGGREGATES + " FROM " + level.finer().table() + " WHERE %WHERE% GROUP BY instance_id, "
                + bucket;
    }

    private static String timeColumn(RollupLevel level) {
        return level.finer() == null ? "sampled_at" : "minute_start";
    }

    private static String newest(RollupLevel level) {
        return "SELECT minute_start FROM " + level.table() + " WHERE instance_id = ?"
                + " ORDER BY instance_id DESC, minute_start DESC LIMIT 1";
    }

    private static String newestOfAll(RollupLevel level) {
        return "SELECT minute_start FROM " + level.table() + " WHERE minute_start < ? ORDER BY minute_start DESC"
                + " LIMIT 1";
    }

    /** Rollups whose minute starts in {@code [from, to)}, in time order, streamed to the consumer. */
    public void streamRollups(InstanceId id, Instant from, Instant to, Consumer<MinuteRollup> consumer) {
        streamRollups(RollupLevel.MINUTE, id, from, to, consumer);
    }

    /** Rows of {@code level} that start in {@code [from, to)}, in time order, streamed to the consumer. */
    public void streamRollups(RollupLevel level, InstanceId id, Instant from, Instant to,
            Consumer<MinuteRollup> consumer) {
        RangeStream.stream(jdbc, "SELECT instance_id, minute_start, first_at, last_at, samples, ok_samples, "
                + ROLLUP_COLUMNS + " FROM " + level.table()
                + " WHERE instance_id = ? AND minute_start >= ? AND minute_start < ? ORDER BY minute_start", id, from,
                to, rs -> mapRollup(id, rs), consumer);
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

    /**
     * The end of the newest row of {@code level} of any instance that starts before {@code before}, or empty when
     * there is none (rows stamped later, by a clock ahead, do not move the watermark past the present).
     */
    Optional<Instant> rolledUntilOfAll(RollupLevel level, Instant before) {
        return jdbc.queryForList(newestOfAll(level), Long.class, before.toEpochMilli()).stream().findFirst()
                .map(ms -> Instant.ofEpochMilli(ms + level.widthMillis()));
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

    /** Like {@link #rollUp(RollupLevel, InstanceId, Instant, Instant)} for every instance in one statement. */
    int rollUpAll(RollupLevel level, Instant from, Instant to) {
        return jdbc.update(rollUpsOfAll.get(level), from.toEpochMilli(), to.toEpochMilli());
    }

    String rollUpAllSql(RollupLevel level) {
        return rollUpsOfAll.get(level);
    }

    /** The instances with a minute row in {@code [from, to)}. */
    Set<InstanceId> rolledIn(Instant from, Instant to) {
        return new HashSet<>(jdbc.query(ROLLED_IN, (rs, n) -> new InstanceId(rs.getString(1)), from.toEpochMilli(),
                to.toEpochMilli()));
    }

    /** Minutes of {@code [from, to)} that received samples after they were rolled up ({@link #LATE_MINUTES}). */
    List<LateMinute> lateMinutes(Instant from, Instant to) {
        return jdbc.query(LATE_MINUTES, (rs, n) -> new LateMinute(new InstanceId(rs.getString(1)),
                Instant.ofEpochMilli(rs.getLong(2))), from.toEpochMilli(), to.toEpochMilli());
    }

    /** A minute of an instance to roll up again. */
    record LateMinute(InstanceId id, Instant minute) {
    }

    /**
     * Drops every instance's rows of {@code level} that started before {@code before}, {@code slice} of time per
     * statement from the oldest row left (the V20 index on minute_start: the expired rows are read, not the table).
     */
    int deleteAllBefore(RollupLevel level, Instant before, java.time.Duration slice) {
        int deleted = 0;
        for (Optional<Instant> oldest = oldestOfAll(level); oldest.isPresent() && oldest.get().isBefore(before);
                oldest = oldestOfAll(level)) {
            long end = Math.min(oldest.get().toEpochMilli() + slice.toMillis(), before.toEpochMilli());
            deleted += jdbc.update(expired(level), end);
        }
        return deleted;
    }

    /** The start of the oldest row of {@code level} of any instance. */
    Optional<Instant> oldestOfAll(RollupLevel level) {
        return jdbc.queryForList(oldestOfAllSql(level), Long.class).stream().findFirst().map(Instant::ofEpochMilli);
    }

    private static String expired(RollupLevel level) {
        return "DELETE FROM " + level.table() + " WHERE minute_start < ?";
    }

    static String oldestOfAllSql(RollupLevel level) {
        return "SELECT minute_start FROM " + level.table() + " ORDER BY minute_start LIMIT 1";
    }

    /** Drops every rollup of an instance. */
    void deleteAll(InstanceId id) {
        for (RollupLevel level : RollupLevel.values()) {
            jdbc.update("DELETE FROM " + level.table() + " WHERE instance_id = ?", id.value());
        }
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
                putIfPresent(min, metric, SnapshotRepository.read(rs, column, metric.kind()));
                putIfPresent(max, metric, SnapshotRepository.read(rs, column + 2, metric.kind()));
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
}
