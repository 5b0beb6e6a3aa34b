package io.memdoctor.alerts;

import java.util.List;
import java.util.Map;

import io.memdoctor.support.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V23 on both stores: the duplicate active alerts replicas could leave before it are ended (the older FIRING one
 * resolved when the newer began, an older PENDING one deleted), then a second active alert of a rule is refused.
 */
class OneActiveAlertMigrationTests {

    private static final String INSERT = "INSERT INTO alert (rule, instance_id, state, severity, starts_at, fired_at,"
            + " ends_at, summary, alert_values) VALUES (?, ?, ?, 'WARNING', ?, ?, ?, 's', '{}')";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void duplicatesAreEndedThenRefused(String vendor) {
        try (Stores store = Stores.openAt(vendor, "22")) {
            JdbcTemplate jdbc = new JdbcTemplate(store.dataSource());
            jdbc.update(INSERT, "memory-high", "a", "FIRING", 1000L, 1000L, null);
            jdbc.update(INSERT, "memory-high", "a", "FIRING", 2000L, 2000L, null);
            jdbc.update(INSERT, "memory-high", "a", "RESOLVED", 500L, 500L, 900L);
            jdbc.update(INSERT, "evictions", "a", "PENDING", 1000L, null, null);
            jdbc.update(INSERT, "evictions", "a", "FIRING", 3000L, 3000L, null);
            jdbc.update(INSERT, "memory-high", "b", "FIRING", 1000L, 1000L, null);

            store.migrate("23");

            List<Map<String, Object>> rows = jdbc.queryForList("SELECT rule, instance_id, state, starts_at, ends_at"
                    + " FROM alert ORDER BY instance_id, rule, starts_at");
            assertThat(rows).extracting(r -> r.get("instance_id") + " " + r.get("rule") + " " + r.get("state") + " "
                    + r.get("starts_at") + "-" + r.get("ends_at")).containsExactly(
                            "a evictions FIRING 3000-null",
                            "a memory-high RESOLVED 500-900",
                            "a memory-high RESOLVED 1000-2000",
                            "a memory-high FIRING 2000-null",
                            "b memory-high FIRING 1000-null");
            assertThatThrownBy(() -> jdbc.update(INSERT, "memory-high", "b", "PENDING", 4000L, null, null))
                    .isInstanceOf(DuplicateKeyException.class);
            jdbc.update(INSERT, "memory-high", "b", "RESOLVED", 4000L, 4000L, 5000L);
            jdbc.update("UPDATE alert SET state = 'RESOLVED', ends_at = 6000 WHERE instance_id = 'b'");
            jdbc.update(INSERT, "memory-high", "b", "PENDING", 7000L, null, null);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE instance_id = 'b'", Integer.class))
                    .isEqualTo(3);
        }
    }
}
