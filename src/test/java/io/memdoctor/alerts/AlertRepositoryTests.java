package io.memdoctor.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.support.BothStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Alerts on H2 and PostgreSQL with the real migrations: round trip, state changes, listings, deletes. */
@BothStores
class AlertRepositoryTests {

    /** Not a whole millisecond: the store keeps epoch milliseconds. */
    private static final Instant T0 = Instant.parse("2026-10-25T01:30:00.999999999Z");

    @Parameter
    BothStores.Store store;

    private AlertRepository alerts;

    @BeforeEach
    void setUp() {
        store.clear("alert");
        alerts = new AlertRepository(store.jdbc(), JsonMapper.builder().build());
    }

    @Test
    void anAlertIsReadBackAsStoredToTheMillisecond() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("usedMemory", 9_007_199_254_740_993L);
        values.put("ratio", 0.1 + 0.2);
        values.put("key", "user:\\xe2\\x9c\\x93\"quoted\"\n'single'");
        values.put("checks", List.of("maxmemory-policy", "persistence"));
        String summary = "Key \"user:✓\" (hash) uses 12.0 MB ─ naïve 'quotes'\nsecond line; DROP TABLE alert; --";
        Alert stored = alerts.insert(new Alert(0, "big-key", "cache-ü", AlertState.PENDING, Severity.WARNING, T0,
                null, null, summary, values, null, null, false));
        assertThat(stored.id()).isPositive();

        Alert read = alerts.find(stored.id()).orElseThrow();
        assertThat(read.rule()).isEqualTo("big-key");
        assertThat(read.instanceId()).isEqualTo("cache-ü");
        assertThat(read.state()).isEqualTo(AlertState.PENDING);
        assertThat(read.severity()).isEqualTo(Severity.WARNING);
        assertThat(read.startsAt()).isEqualTo(Instant.parse("2026-10-25T01:30:00.999Z"));
        assertThat(read.firedAt()).isNull();
        assertThat(read.endsAt()).isNull();
        assertThat(read.summary()).isEqualTo(summary);
        assertThat(read.values()).containsExactlyEntriesOf(values);
        assertThat(read.acknowledgedBy()).isNull();
        assertThat(read.acknowledgedAt()).isNull();
        assertThat(alerts.find(stored.id() + 1)).isEmpty();
    }

    @Test
    void stateChangesAndAcknowledgementsAreStoredAndOnlyUnresolvedAlertsAreActive() {
        Alert a = alerts.insert(alert("memory-high", "a", T0));
        Alert b = alerts.insert(alert("evictions", "a", T0.plusSeconds(1)));

        assertThat(alerts.updateState(a.withState(AlertState.FIRING, T0.plusSeconds(60), null), AlertState.PENDING))
                .isTrue();
        assertThat(alerts.updateState(b.withState(AlertState.RESOLVED, T0.plusSeconds(30), T0.plusMillis(90_001)),
                AlertState.PENDING)).isTrue();
        assertThat(alerts.updateState(b.withState(AlertState.RESOLVED, T0.plusSeconds(40), T0.plusSeconds(99)),
                AlertState.FIRING)).as("moved only out of the state it is in (another replica moved it)").isFalse();
        assertThat(alerts.acknowledge(a.id(), "Zoë O'Neil", T0.plusSeconds(120))).isEqualTo(1);
        assertThat(alerts.acknowledge(a.id() + b.id() + 1, "nobody", T0)).as("no such alert").isZero();

        assertThat(alerts.active()).singleElement().satisfies(active -> {
            assertThat(active.id()).isEqualTo(a.id());
            assertThat(active.state()).isEqualTo(AlertState.FIRING);
            assertThat(active.firedAt()).isEqualTo(Instant.parse("2026-10-25T01:31:00.999Z"));
            assertThat(active.acknowledgedBy()).isEqualTo("Zoë O'Neil");
            assertThat(active.acknowledgedAt()).isEqualTo(Instant.parse("2026-10-25T01:32:00.999Z"));
        });
        Alert resolved = alerts.find(b.id()).orElseThrow();
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.endsAt()).isEqualTo(Instant.parse("2026-10-25T01:31:31.000Z"));
    }

    @Test
    void listingsAreNewestFirstFilteredAndLimited() {
        Alert old = alerts.insert(alert("memory-high", "a", T0));
        Alert tie1 = alerts.insert(alert("evictions", "b", T0.plusSeconds(10)));
        Alert tie2 = alerts.insert(alert("oom-errors", "a", T0.plusSeconds(10)));
        Alert newest = alerts.insert(alert("rss-high", "a", T0.plusSeconds(20)));
        alerts.updateState(old.withState(AlertState.RESOLVED, null, T0.plusSeconds(5)), AlertState.PENDING);

        assertThat(alerts.find(null, null, 10)).extracting(Alert::id)
                .as("newest first, the later id first on a tie")
                .containsExactly(newest.id(), tie2.id(), tie1.id(), old.id());
        assertThat(alerts.find(null, null, 2)).extracting(Alert::id).containsExactly(newest.id(), tie2.id());
        assertThat(alerts.find(null, "a", 10)).extracting(Alert::id)
                .containsExactly(newest.id(), tie2.id(), old.id());
        assertThat(alerts.find(AlertState.RESOLVED, null, 10)).extracting(Alert::id).containsExactly(old.id());
        assertThat(alerts.find(AlertState.PENDING, "b", 10)).extracting(Alert::id).containsExactly(tie1.id());
        assertThat(alerts.find(AlertState.FIRING, "a", 10)).isEmpty();
        assertThat(alerts.find(null, "a' OR '1' = '1", 10)).as("a hostile id is a value").isEmpty();
    }

    @Test
    void deletingOneAlertOrAnInstancesAlertsLeavesTheOthers() {
        Alert a1 = alerts.insert(alert("memory-high", "a", T0));
        Alert a2 = alerts.insert(alert("evictions", "a", T0));
        Alert b = alerts.insert(alert("evictions", "b", T0));
        alerts.delete(a1.id());
        assertThat(alerts.find(a1.id())).isEmpty();
        assertThat(alerts.active()).extracting(Alert::id).containsExactlyInAnyOrder(a2.id(), b.id());
        alerts.deleteInstance("a");
        assertThat(alerts.active()).extracting(Alert::id).containsExactly(b.id());
        Alert after = alerts.insert(alert("evictions", "a", T0));
        assertThat(after.id()).as("ids are not reused").isGreaterThan(b.id());
    }

    @Test
    void aLongSummaryIsShortenedToItsColumnWithoutSplittingACharacter() {
        String summary = "🔥".repeat(600);
        Alert stored = alerts.insert(new Alert(0, "memory-high", "a", AlertState.FIRING, Severity.CRITICAL, T0, T0,
                null, summary, Map.of(), null, null, false));
        String read = alerts.find(stored.id()).orElseThrow().summary();
        assertThat(read).isEqualTo("🔥".repeat(499) + "…");
    }

    /**
     * A big key's name is kept escaped (every byte over 0x7e as {@code \xHH}), up to 1,024 bytes: 4,096 characters,
     * more in JSON. Cutting the values' JSON at the column's 4,000 characters stored text that was no longer JSON,
     * and every read of the alert (the active ones at start, the list, the API) failed on it.
     */
    @Test
    void anAlertOnAKeyWithALongEscapedNameIsStoredReadably() {
        String key = "\\xe4\\xb8\\xad".repeat(341);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("key", key);
        values.put("bytes", 12_582_912);
        values.put("elements", 3);
        values.put("type", "string");
        Alert stored = alerts.insert(new Alert(0, "big-key", "a", AlertState.FIRING, Severity.WARNING, T0, T0, null,
                "Key " + key + " (string) uses 12.0 MB", values, null, null, false));

        Alert read = alerts.find(stored.id()).orElseThrow();
        assertThat(read.values()).containsEntry("bytes", 12_582_912).containsEntry("type", "string")
                .containsEntry("elements", 3);
        assertThat((String) read.values().get("key")).startsWith("\\xe4\\xb8\\xad").endsWith("…");
        assertThat(alerts.active()).extracting(Alert::id).containsExactly(stored.id());
        assertThat(read.summary()).hasSize(1000).endsWith("…");
    }

    private static Alert alert(String rule, String instance, Instant startsAt) {
        return new Alert(0, rule, instance, AlertState.PENDING, Severity.WARNING, startsAt, null, null,
                rule + " on " + instance, Map.of("n", 1), null, null, false);
    }
}
