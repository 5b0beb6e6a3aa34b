package io.memdoctor.snapshots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.memdoctor.config.SqlDialect;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.QueryTimings.Result;
import io.memdoctor.snapshots.QueryTimings.Timing;
import io.memdoctor.support.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.memdoctor.snapshots.QueryTimings.RUNS;
import static io.memdoctor.snapshots.QueryTimings.WARMUP;
import static io.memdoctor.snapshots.QueryTimings.measure;
import static io.memdoctor.snapshots.QueryTimings.time;

/**
 * Any range, fast, on both stores: 30 days of 1-second samples for one instance (2,592,000 rows) plus a day of
 * 1-minute samples for 200 other instances (288,000 rows), on an H2 file database and on a private PostgreSQL
 * database in the same run. Data is written by bulk SQL ({@code SYSTEM_RANGE} / {@code generate_series}), rolled up
 * level by level as the retention job does, then the shipped range reader answers 1-hour, 7-day and 30-day charts
 * of 1000 points. Also times the overview's read of 1,000 instances and raw retention of 23 days of 1-second
 * samples. Not a test: {@code ./mvnw -B -ntp -o test -Pbenchmark -Dbenchmark.heap=1g -Dtest=LongRangeBenchmark};
 * writes {@code docs/benchmarks/long-range.md}.
 */
@Tag("benchmark")
class LongRangeBenchmark {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.HOURS).plusSeconds(1800);
    static final InstanceId BENCH = InstanceId.of("bench");
    static final int OTHERS = 200;
    static final int OVERVIEW = 1000;
    static final long DAY = Duration.ofDays(1).toMillis();

    @Test
    void anyRangeOnBothStores() throws IOException {
        List<String> sections = new ArrayList<>();
        PostgresServer server = PostgresServer.get().orElse(null);
        if (server == null) {
            sections.add("PostgreSQL: not measured (" + PostgresServer.UNAVAILABLE + ")");
        }
        else {
            String database = server.createDatabase();
            try (HikariDataSource pg = dataSource(server.url(database), server.user(), server.password())) {
                String version = new JdbcTemplate(pg).queryForObject("SHOW server_version", String.class);
                sections.add(run("PostgreSQL " + version + " (local, default settings)", pg));
            }
            finally {
                server.dropDatabase(database);
            }
        }
        write(sections);
        Path dir = Files.createTempDirectory("memdoctor-long-range");
        try (HikariDataSource h2 = dataSource("jdbc:h2:file:" + dir.resolve("memdoctor") + ";DB_CLOSE_ON_EXIT=FALSE",
                "sa", "")) {
            sections.add(run("H2 2.4 file database", h2));
        }
        write(sections);
    }

    private static void write(List<String> sections) throws IOException {
        String report = """
                # Long-range history benchmark (both stores)

                Date: %s. Machine: 2 cores shared with other jobs, Java %s.
                Command: `./mvnw -B -ntp -o test -Pbenchmark -Dbenchmark.heap=1g -Dtest=LongRangeBenchmark`

                Data: one instance sampled every second for 30 days (2,592,000 raw samples) plus %d other
                instances sampled every minute for a day (%,d raw samples), written by bulk SQL, then rolled up
                into minute, 10-minute and hourly rows the way the retention job does (a day per statement). Each
                chart query asks the shipped range reader (`SnapshotHistory.range`) for at most 1000 points, as
                the instance page does; %d warm-up runs, then %d measured runs. Targets: the 7-day and 30-day
                queries each take at most 2x the 1-hour one; the overview of 1,000 instances reads no history.

                %s
                """.formatted(LocalDate.now(), Runtime.version().feature(), OTHERS, OTHERS * 1440L, WARMUP,
                RUNS, String.join("\n\n", sections));
        System.out.println(report);
        Path out = Path.of("docs/benchmarks/long-range.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static HikariDataSource dataSource(String url, String user, String password) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(user);
        ds.setPassword(password);
        ds.setMaximumPoolSize(4);
        return ds;
    }

    private String run(String store, HikariDataSource ds) {
        SqlDialect dialect = SqlDialect.of(ds);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration",
                "classpath:db/vendor/" + (dialect == SqlDialect.H2 ? "h2" : "postgresql")).load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        SnapshotRepository repository = new SnapshotRepository(jdbc, dialect);
        RollupRepository rollups = new RollupRepository(jdbc, dialect);
        RangeReader ranges = new RangeReader(repository, rollups);

        long start = System.nanoTime();
        Instant monthAgo = NOW.minus(Duration.ofDays(30));
        for (long day = monthAgo.toEpochMilli(); day < NOW.toEpochMilli(); day += DAY) {
            jdbc.update(benchRows(dialect), day, Math.min(day + DAY, NOW.toEpochMilli()) - 1000);
        }
        double benchLoad = seconds(start);
        start = System.nanoTime();
        Instant weekAgo = NOW.minus(Duration.ofDays(7));
        Instant dayAgo = NOW.minus(Duration.ofDays(1));
        jdbc.update(otherRows(dialect), OTHERS - 1, dayAgo.toEpochMilli(), NOW.toEpochMilli() - 60_000);
        double othersLoad = seconds(start);
        long rawRows = jdbc.queryForObject("SELECT COUNT(*) FROM snapshot", Long.class);

        start = System.nanoTime();
        rollUp(rollups, BENCH, monthAgo);
        double benchRoll = seconds(start);
        start = System.nanoTime();
        for (int i = 0; i < OTHERS; i++) {
            rollUp(rollups, InstanceId.of("other-" + i), dayAgo);
        }
        double othersRoll = seconds(start);
        if (dialect == SqlDialect.POSTGRESQL) {
            jdbc.execute("ANALYZE");
        }

        Result hour = measure("1 hour (raw samples)", () -> ranges.read(BENCH, NOW.minus(Duration.ofHours(1)), NOW,
                1000));
        Result week = measure("7 days (10-minute rows)", () -> ranges.read(BENCH, weekAgo, NOW, 1000));
        Result month = measure("30 days (hourly rows)", () -> ranges.read(BENCH, monthAgo, NOW, 1000));

        // the overview: one sample per instance through the real write path, then one read of every card's state
        List<InstanceId> ids = new ArrayList<>();
        ids.add(BENCH);
        for (int i = 0; i < OVERVIEW - 1; i++) {
            ids.add(InstanceId.of("other-" + i));
        }
        ids.forEach(id -> repository.save(sample(id, NOW.plusSeconds(1))));
        Timing overview = time(() -> repository.latestOfAll().size());
        Timing perInstance = time(() -> {
            int n = 0;
            for (InstanceId id : ids) {
                repository.latest(id);
                repository.downSince(id);
                n += repository.latestOk(id).isPresent() ? 1 : 0;
            }
            return n;
        });

        start = System.nanoTime();
        int deleted = repository.deleteRawBefore(weekAgo, Duration.ofHours(6));
        double retention = seconds(start);
        Result monthAfter = measure("30 days, after raw retention", () -> ranges.read(BENCH, monthAgo, NOW, 1000));

        String table = String.join("\n", "| query | points | p50 ms | max ms |", "|---|---|---|---|", hour.row(),
                week.row(), month.row(), monthAfter.row());
        return """
                ## %s

                Loaded %,d raw rows: the 30 days in %.1f s, the 200 others in %.1f s (bulk SQL, a day per
                statement). Rolled up (minutes, 10 minutes, hours): the 30 days in %.1f s, the 200 others in %.1f s.

                %s

                7 days / 1 hour: **%.2fx**; 30 days / 1 hour: **%.2fx** (target: at most 2x each).

                Overview of %,d instances: one read of `snapshot_latest` took %.1f ms (p50 of %d), against %.1f ms
                for the per-instance history lookups it replaces (newest sample, outage start, newest OK sample:
                three indexed queries per instance).

                Raw retention (keep 7 days) deleted %,d samples of the 1-second instance in %.1f s, six hours of
                samples of the fleet per statement.
                """.formatted(store, rawRows, benchLoad, othersLoad, benchRoll, othersRoll, table,
                week.p50() / hour.p50(), month.p50() / hour.p50(), OVERVIEW, overview.p50(), RUNS, perInstance.p50(),
                deleted, retention);
    }

    private static void rollUp(RollupRepository repository, InstanceId id, Instant from) {
        for (RollupLevel level : RollupLevel.values()) {
            for (long day = from.toEpochMilli() / DAY * DAY; day < NOW.toEpochMilli(); day += DAY) {
                long end = Math.min(day + DAY, NOW.toEpochMilli() / level.widthMillis() * level.widthMillis());
                if (end > day) {
                    repository.rollUp(level, id, Instant.ofEpochMilli(day), Instant.ofEpochMilli(end));
                }
            }
        }
    }

    /* the same columns the sampler fills most: memory, fragmentation, evictions, keys, clients, text fields */
    private static final String VALUES = "'OK', 1000000000 + MOD(t.x / 1000, 3600) * 1000,"
            + " 1200000000 + MOD(t.x / 1000, 17) * 4096, 950000000, 1500000000, 4000000000,"
            + " 1.2 + MOD(t.x / 1000, 10) / 100.0, 1.01, t.x / 10000, t.x / 1000, 1000000 + MOD(t.x / 1000, 5000),"
            + " 500000, 40, 'allkeys-lru', 'jemalloc-5.3.0', '7.0.15'";
    private static final String COLUMNS = "instance_id, sampled_at, status, used_memory, used_memory_rss,"
            + " used_memory_dataset, used_memory_peak, maxmemory, mem_fragmentation_ratio, allocator_frag_ratio,"
            + " evicted_keys, expired_keys, keyspace_keys, keyspace_expires, connected_clients, maxmemory_policy,"
            + " mem_allocator, redis_version";

    private static String benchRows(SqlDialect dialect) {
        return "INSERT INTO snapshot (" + COLUMNS + ") SELECT 'bench', t.x, " + VALUES + " FROM "
                + series(dialect, "?", "?", "1000", "t");
    }

    private static String otherRows(SqlDialect dialect) {
        return "INSERT INTO snapshot (" + COLUMNS + ") SELECT CONCAT('other-', i.x), t.x, " + VALUES + " FROM "
                + series(dialect, "0", "?", "1", "i") + " CROSS JOIN " + series(dialect, "?", "?", "60000", "t");
    }

    private static String series(SqlDialect dialect, String from, String to, String step, String alias) {
        return dialect == SqlDialect.H2
                ? "SYSTEM_RANGE(CAST(" + from + " AS BIGINT), CAST(" + to + " AS BIGINT), " + step + ") " + alias
                : "generate_series(CAST(" + from + " AS BIGINT), CAST(" + to + " AS BIGINT), " + step + ") AS "
                        + alias + "(x)";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static Snapshot sample(InstanceId id, Instant at) {
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        values.put(Metric.USED_MEMORY, 1_000_000_000L);
        values.put(Metric.USED_MEMORY_RSS, 1_200_000_000L);
        values.put(Metric.MAXMEMORY, 4_000_000_000L);
        values.put(Metric.MEM_FRAGMENTATION_RATIO, 1.2);
        values.put(Metric.MAXMEMORY_POLICY, "allkeys-lru");
        return Snapshot.ok(id, at, values);
    }
}
