package io.memdoctor.rdb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.support.BothStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ended RDB analyses on H2 and PostgreSQL with the real migrations: the report read back whole (hostile and long key
 * names, megabytes of JSON), listings newest first without reports, the oldest trimmed.
 */
@BothStores
class RdbRepositoryTests {

    /** Not a whole millisecond: the store keeps epoch milliseconds. */
    private static final Instant T0 = Instant.parse("2026-10-25T00:59:59.999999Z");

    @Parameter
    BothStores.Store store;

    private RdbRepository repository;

    @BeforeEach
    void setUp() {
        store.clear("rdb_analysis");
        repository = new RdbRepository(store.jdbc(), JsonMapper.builder().build());
    }

    @Test
    void anAnalysisIsReadBackWithItsWholeReport() {
        RdbReport report = report(List.of(
                key("user:\\xe2\\x9c\\x93 \"quoted\" 'single' \\n <script>alert(1)</script>", 0),
                key("\\x00\\xff\\x7f" + "k".repeat(1020), 3)));
        RdbRecord done = new RdbRecord("0f8e3c53-5c6f-4f57-9d07-1d1f1e9d2b11", "dump 'prod' \"ü\".rdb", ScanStatus.DONE,
                T0, T0.plusMillis(1500), 1L << 40, 1L << 40, 123_456_789L, 1500, null, report);
        repository.insert(done);

        RdbRecord read = repository.find(done.id()).orElseThrow();
        assertThat(read.report()).isEqualTo(report);
        assertThat(read.startedAt()).isEqualTo(Instant.parse("2026-10-25T00:59:59.999Z"));
        assertThat(read.endedAt()).isEqualTo(Instant.parse("2026-10-25T01:00:01.499Z"));
        assertThat(read).usingRecursiveComparison().ignoringFields("startedAt", "endedAt").isEqualTo(done);
        assertThat(repository.find("00000000-0000-0000-0000-000000000000")).isEmpty();
    }

    @Test
    void aFailedAnalysisKeepsItsErrorAndAReportOfSeveralMegabytesIsReadBack() {
        List<ScanResults.KeyEntry> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(key("\\xe4\\xb8\\xad".repeat(341) + i, i % 16));
        }
        RdbReport report = report(keys);
        String error = "the file is truncated: it ends at byte 42 in key \"a\\nb\" — " + "é".repeat(3000);
        RdbRecord failed = new RdbRecord("1f8e3c53-5c6f-4f57-9d07-1d1f1e9d2b11", "x".repeat(400), ScanStatus.FAILED,
                T0, T0.plusSeconds(1), 10, 5, 1000, 1000, error, report);
        repository.insert(failed);

        RdbRecord read = repository.find(failed.id()).orElseThrow();
        assertThat(read.report().results().topKeys()).hasSize(1000).isEqualTo(keys);
        assertThat(read.error()).as("cut to its column").hasSize(2000).isEqualTo(error.substring(0, 2000));
        assertThat(read.source()).isEqualTo("x".repeat(300));
        assertThat(read.status()).isEqualTo(ScanStatus.FAILED);

        RdbRecord cancelled = new RdbRecord("2f8e3c53-5c6f-4f57-9d07-1d1f1e9d2b11", "c.rdb", ScanStatus.CANCELLED,
                T0, null, 10, 0, 0, 0, null, null);
        repository.insert(cancelled);
        assertThat(repository.find(cancelled.id()).orElseThrow()).isEqualTo(new RdbRecord(cancelled.id(), "c.rdb",
                ScanStatus.CANCELLED, Instant.parse("2026-10-25T00:59:59.999Z"), null, 10, 0, 0, 0, null, null));
    }

    @Test
    void listingsAreNewestFirstWithoutReportsAndTrimKeepsTheNewest() {
        String[] ids = {"a0000000-0000-0000-0000-000000000000", "b0000000-0000-0000-0000-000000000000",
            "c0000000-0000-0000-0000-000000000000", "d0000000-0000-0000-0000-000000000000"};
        repository.insert(record(ids[3], T0));
        repository.insert(record(ids[1], T0.plusSeconds(10)));
        repository.insert(record(ids[0], T0.plusSeconds(10)));
        repository.insert(record(ids[2], T0.plusSeconds(20)));

        List<RdbRecord> listed = repository.list(10);
        assertThat(listed).extracting(RdbRecord::id).as("newest first, then by id")
                .containsExactly(ids[2], ids[0], ids[1], ids[3]);
        assertThat(listed).allSatisfy(r -> assertThat(r.report()).isNull());
        assertThat(repository.list(2)).extracting(RdbRecord::id).containsExactly(ids[2], ids[0]);

        assertThat(repository.trim(3)).isEqualTo(1);
        assertThat(repository.list(10)).extracting(RdbRecord::id).containsExactly(ids[2], ids[0], ids[1]);
        assertThat(repository.trim(3)).isZero();
        assertThat(repository.trim(1)).isEqualTo(2);
        assertThat(repository.find(ids[2]).orElseThrow().report()).isNotNull();
    }

    /**
     * An uploaded file's name is the client's text: a NUL in it was stored on H2, but PostgreSQL refuses the
     * character, the INSERT failed and the finished analysis was lost. A NUL is stored as U+FFFD now.
     */
    @Test
    void aSourceWithANulCharacterIsStoredOnBothStores() {
        repository.insert(new RdbRecord("3f8e3c53-5c6f-4f57-9d07-1d1f1e9d2b11", "dump\u0000.rdb\r\nx", ScanStatus.DONE,
                T0, T0, 1, 1, 0, 0, "stopped at \"a\u0000b\"", null));
        RdbRecord read = repository.find("3f8e3c53-5c6f-4f57-9d07-1d1f1e9d2b11").orElseThrow();
        assertThat(read.source()).isEqualTo("dump\uFFFD.rdb\r\nx");
        assertThat(read.error()).isEqualTo("stopped at \"a\uFFFDb\"");
    }

    private static RdbRecord record(String id, Instant startedAt) {
        return new RdbRecord(id, id + ".rdb", ScanStatus.DONE, startedAt, startedAt.plusSeconds(1), 1, 1, 1, 1000,
                null, report(List.of(key("k", 0))));
    }

    private static ScanResults.KeyEntry key(String name, int db) {
        return new ScanResults.KeyEntry(name, "hash", 12_345_678L, 42L, -1, null, db);
    }

    private static RdbReport report(List<ScanResults.KeyEntry> keys) {
        ScanResults.KeyEntry top = keys.get(0);
        ScanResults results = new ScanResults(keys.size(), 0, 0, 12_345_678L * keys.size(), 0, true, null, keys,
                Map.of("hash", new ScanResults.Biggest(top, top)),
                Map.of("hash", new ScanResults.TypeTotals(keys.size(), 12_345_678L * keys.size(), 42L * keys.size())),
                List.of(new ScanResults.PatternEntry("user:*", keys.size(), 12_345_678L * keys.size(), 0, 1.0 / 3)),
                List.of(new ScanResults.TtlBucket("none", "no expiry", keys.size(), null)));
        Map<String, String> aux = new LinkedHashMap<>();
        aux.put("redis-ver", "7.4.1");
        aux.put("ctime", "1767225600");
        aux.put("odd", "\u0000\u0001\"'\n✓");
        return new RdbReport(results, 12, "Redis 7.4.1", aux, Map.of(0, new RdbReport.Database(keys.size(), 1, 0),
                15, new RdbReport.Database(1, 2, 1)), List.of("#!lua name=lib\nredis.register_function('f', ...)"),
                4096, 7, 3);
    }
}
