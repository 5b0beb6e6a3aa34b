package io.memdoctor.incidents;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.memdoctor.scans.engine.ScanResults;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** A capture holds a live scan and an RDB file's report side by side, and reads what older versions stored. */
class CaptureTests {

    private final JsonMapper json = JsonMapper.builder().build();

    private static final Instant AT = Instant.parse("2026-11-29T12:00:00Z");

    private static ScanResults results(String key, Integer db) {
        return new ScanResults(1, 0, 0, 100L, 0, true, null,
                List.of(new ScanResults.KeyEntry(key, "string", 100L, 10L, -1, null, db)), Map.of(), Map.of(),
                List.of(), List.of());
    }

    private static ScanAttachment file(String name) {
        return new ScanAttachment("00000000-0000-0000-0000-00000000000" + name.length(), "DONE", AT, AT, null,
                results("backup:key", 2), new ScanAttachment.RdbFile(name, 11, "7.2.4", AT));
    }

    @Test
    void anRdbReportStoredInTheScansPlaceIsReadAsTheRdbReport() {
        // what incidents stored and exported before they could hold both
        String legacy = json.writeValueAsString(new LegacyCapture(Map.of(), List.of(), null, List.of(),
                file("dump.rdb")));
        assertThat(legacy).contains("\"scan\":{").doesNotContain("\"rdb\":{\"scanId\"");
        Capture read = json.readValue(legacy, Capture.class);
        assertThat(read.scan()).isNull();
        assertThat(read.rdb().rdb().name()).isEqualTo("dump.rdb");
        assertThat(read.rdb().results().topKeys().get(0).db()).isEqualTo(2);
    }

    @Test
    void bothTravelThroughJsonAndEachAttachmentKeepsTheOther() {
        ScanAttachment scan = new ScanAttachment("scan-1", "DONE", AT, AT, null, results("live:key", null));
        Capture both = new Capture(Map.of(), List.of(), null, List.of(), scan).withRdb(file("a.rdb"));
        String text = json.writeValueAsString(both);
        // a scan's keys have no database: no "db" in its JSON
        assertThat(text).contains("\"key\":\"live:key\",").doesNotContain("\"db\":null");
        Capture read = json.readValue(text, Capture.class);
        assertThat(read.scan().results().topKeys().get(0).key()).isEqualTo("live:key");
        assertThat(read.scan().rdb()).isNull();
        assertThat(read.rdb().rdb().name()).isEqualTo("a.rdb");

        ScanAttachment ended = new ScanAttachment("scan-1", "CANCELLED", AT, AT, null, null);
        assertThat(read.withScan(ended).rdb().rdb().name()).isEqualTo("a.rdb");
        assertThat(read.withRdb(file("b.rdb")).scan().scanId()).isEqualTo("scan-1");
        assertThat(read.withRdb(file("b.rdb")).rdb().rdb().name()).isEqualTo("b.rdb");
        assertThat(new Capture(Map.of(), List.of(), null, List.of(), null).rdb()).isNull();
        assertThat(json.writeValueAsString(new Capture(Map.of(), List.of(), null, List.of(), scan)))
                .doesNotContain("\"rdb\"");
    }

    /** The capture's JSON shape before {@link Capture#rdb()}. */
    record LegacyCapture(Map<String, Fact> facts, List<io.memdoctor.checks.CheckResult> checks,
            io.memdoctor.diagnosis.Diagnosis diagnosis, List<Map<String, Object>> samples, ScanAttachment scan) {
    }
}
