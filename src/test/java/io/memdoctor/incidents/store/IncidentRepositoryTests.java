package io.memdoctor.incidents.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.Severity;
import io.memdoctor.diagnosis.Verdict;
import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.Fact;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentNote;
import io.memdoctor.incidents.ScanAttachment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The incident and incident_note tables with the real Flyway migrations on H2. */
@JdbcTest
class IncidentRepositoryTests {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    /* what people paste: quotes, markup, a line break, a CSV formula, bytes beyond ASCII */
    private static final String HOSTILE = "'\"<script>alert(1)</script>\n=SUM(A1) ключ 🔑 %_\\";

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private PlatformTransactionManager transactions;

    private IncidentRepository repository;

    @BeforeEach
    void setUp() {
        repository = new IncidentRepository(jdbc, JsonMapper.builder().build(), transactions);
    }

    @Test
    void anIncidentComesBackWholeWithItsCaptureAndItsNotesInTimeOrder() {
        Incident incident = incident("11111111-1111-1111-1111-111111111111", T0, scan("s-1", "DONE"), false)
                .withNotes(List.of(new IncidentNote(T0.plusSeconds(60), "olga", HOSTILE),
                        new IncidentNote(T0.minusSeconds(60), null, "deploy 4.2 rolled out")));
        repository.insert(incident);

        Incident found = repository.find(incident.id()).orElseThrow();
        assertThat(found.title()).isEqualTo(HOSTILE);
        assertThat(found.note()).isEqualTo(HOSTILE);
        assertThat(found.instanceUrl()).isEqualTo("redis://user:***@cache.internal:6379");
        assertThat(found.capturedAt()).isEqualTo(T0);
        assertThat(found.windowFrom()).isEqualTo(T0.minusSeconds(3600));
        assertThat(found.capture()).isEqualTo(incident.capture());
        assertThat(found.capture().facts().get("info").value()).isEqualTo(Map.of("used_memory", HOSTILE));
        assertThat(found.capture().diagnosis().verdict()).isEqualTo(Verdict.FRAGMENTATION);
        assertThat(found.notes()).extracting(IncidentNote::text).containsExactly("deploy 4.2 rolled out", HOSTILE);
        assertThat(found.notes().get(1).author()).isEqualTo("olga");
        assertThat(repository.countNotes(incident.id())).isEqualTo(2);
        assertThat(repository.find("99999999-9999-9999-9999-999999999999")).isEmpty();
    }

    @Test
    void theListIsNewestFirstWithVerdictAndNoteCountAndNoCapture() {
        for (int i = 0; i < 3; i++) {
            repository.insert(incident("0000000" + i + "-0000-0000-0000-000000000000", T0.plusSeconds(i), null,
                    false));
        }
        repository.addNote("00000001-0000-0000-0000-000000000000", new IncidentNote(T0, "a", "one"), T0);
        repository.addNote("00000001-0000-0000-0000-000000000000", new IncidentNote(T0, "b", "two"), T0);

        List<IncidentRepository.Listed> listed = repository.list(2);
        assertThat(listed).extracting(l -> l.incident().id()).containsExactly(
                "00000002-0000-0000-0000-000000000000", "00000001-0000-0000-0000-000000000000");
        assertThat(listed).extracting(IncidentRepository.Listed::notes).containsExactly(0, 2);
        assertThat(listed).extracting(IncidentRepository.Listed::verdict).containsOnly("FRAGMENTATION");
        assertThat(listed).allSatisfy(l -> assertThat(l.incident().capture()).isNull());
    }

    @Test
    void pendingScansAreFoundByTheirScanAndNotOnceEndedOrImported() {
        repository.insert(incident("22222222-0000-0000-0000-000000000001", T0, scan("scan-a", "RUNNING"), false));
        repository.insert(incident("22222222-0000-0000-0000-000000000002", T0, scan("scan-b", "RUNNING"), false));
        repository.insert(incident("22222222-0000-0000-0000-000000000003", T0, scan("scan-c", "DONE"), false));
        repository.insert(incident("22222222-0000-0000-0000-000000000004", T0, scan("scan-d", "RUNNING"), true));
        repository.insert(incident("22222222-0000-0000-0000-000000000005", T0, null, false));

        assertThat(repository.findWithPendingScan("scan-a")).extracting(Incident::id)
                .containsExactly("22222222-0000-0000-0000-000000000001");
        assertThat(repository.findWithPendingScan(null)).extracting(Incident::id).containsExactlyInAnyOrder(
                "22222222-0000-0000-0000-000000000001", "22222222-0000-0000-0000-000000000002");
        assertThat(repository.findWithPendingScan("scan-%")).as("a wildcard in an id matches nothing more")
                .isEmpty();

        // the scan ended: its results are frozen into the capture, and the incident waits no longer
        Incident waiting = repository.find("22222222-0000-0000-0000-000000000001").orElseThrow();
        Capture ended = waiting.capture().withScan(scan("scan-a", "DONE"));
        assertThat(repository.updateCapture(waiting.id(), stored -> stored.withScan(scan("scan-a", "DONE"))))
                .hasValue(ended);
        assertThat(repository.find(waiting.id()).orElseThrow().capture()).isEqualTo(ended);
        assertThat(repository.findWithPendingScan("scan-a")).isEmpty();
    }

    @Test
    void eachChangeOfACaptureStartsFromTheStoredOneSoTheScanAndAnRdbFileBothStay() {
        Incident incident = incident("44444444-4444-4444-4444-444444444444", T0, scan("scan-e", "RUNNING"), false);
        repository.insert(incident);
        ScanAttachment file = new ScanAttachment("55555555-5555-5555-5555-555555555555", "DONE", T0, T0, null, null,
                new ScanAttachment.RdbFile(HOSTILE, 11, "7.2.4", T0));
        // the RDB file first, then the scan's end computed from the incident as read before the file came
        repository.updateCapture(incident.id(), stored -> stored.withRdb(file));
        Capture after = repository.updateCapture(incident.id(), stored -> stored.withScan(scan("scan-e", "DONE")))
                .orElseThrow();
        assertThat(after.scan().status()).isEqualTo("DONE");
        assertThat(after.rdb()).isEqualTo(file);
        assertThat(repository.find(incident.id()).orElseThrow().capture()).isEqualTo(after);
        // returning the capture as it was writes nothing; an unknown incident changes nothing
        assertThat(repository.updateCapture(incident.id(), stored -> stored)).hasValue(after);
        assertThat(repository.updateCapture("99999999-9999-9999-9999-999999999999", stored -> {
            throw new AssertionError("no capture to change");
        })).isEmpty();
    }

    @Test
    void deletingAnIncidentDeletesItsNotes() {
        Incident incident = incident("33333333-3333-3333-3333-333333333333", T0, null, true)
                .withNotes(List.of(new IncidentNote(T0, "a", "imported with it")));
        repository.insert(incident);
        assertThat(repository.find(incident.id()).orElseThrow().imported()).isTrue();
        assertThat(repository.find(incident.id()).orElseThrow().source()).isEqualTo("export of dashboard-b");
        assertThat(repository.countNotes(incident.id())).isEqualTo(1);

        assertThat(repository.delete(incident.id())).isTrue();
        assertThat(repository.delete(incident.id())).isFalse();
        assertThat(repository.find(incident.id())).isEmpty();
        assertThat(repository.countNotes(incident.id())).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM incident_note", Integer.class)).isZero();
    }

    private static Incident incident(String id, Instant at, ScanAttachment scan, boolean imported) {
        Map<String, Fact> facts = new LinkedHashMap<>();
        facts.put("info", Fact.of("INFO", Map.of("used_memory", HOSTILE)));
        facts.put("slowlog", Fact.refused("SLOWLOG GET 128", "ERR unknown command 'SLOWLOG'"));
        Diagnosis diagnosis = new Diagnosis(Verdict.FRAGMENTATION, Severity.WARNING, "RSS is 1.9x used memory",
                List.of("mem_fragmentation_ratio 1.9 at " + at), List.of("MEMORY DOCTOR"), null,
                at.minusSeconds(3600), at, 360);
        Capture capture = new Capture(facts, List.of(), diagnosis,
                List.of(Map.of("timestamp", at.toString(), "status", "OK", "usedMemory", 1024)), scan);
        return new Incident(id, "cache", "cache", "redis://user:***@cache.internal:6379", HOSTILE, HOSTILE, at,
                at.minusSeconds(3600), at, imported, imported ? "export of dashboard-b" : null, capture, List.of());
    }

    private static ScanAttachment scan(String id, String status) {
        return new ScanAttachment(id, status, T0, "RUNNING".equals(status) ? null : T0.plusSeconds(30), null, null);
    }
}
